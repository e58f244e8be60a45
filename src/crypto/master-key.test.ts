import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TenantryError } from '../errors.js';
import { generateMasterKey } from './envelope.js';
import { loadMasterKey } from './master-key.js';

describe('loadMasterKey', () => {
  let root: string;
  let dataDir: string;
  let warnings: string[];
  const options = (env: NodeJS.ProcessEnv, nodeEnv: 'development' | 'test' | 'production' = 'development') => ({
    env,
    dataDir,
    nodeEnv,
    warn: (line: string) => warnings.push(line),
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tenantry-master-key-'));
    dataDir = join(root, 'nested', 'data');
    warnings = [];
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('uses TENANTRY_MASTER_KEY when set, silently, and writes no file', () => {
    const key = generateMasterKey();
    expect(loadMasterKey(options({ TENANTRY_MASTER_KEY: key.toString('base64') }, 'production')).equals(key)).toBe(true);
    expect(warnings).toEqual([]);
    expect(() => statSync(join(dataDir, 'master.key'))).toThrow(/ENOENT/);
  });

  it('generates a key once into the data folder, private to its owner, and reuses it', () => {
    const first = loadMasterKey(options({}));
    const file = join(dataDir, 'master.key');
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/TENANTRY_MASTER_KEY is not set: generated a master key in .*master\.key/);
    expect(warnings[0]).not.toContain(first.toString('base64'));

    const again = loadMasterKey(options({ TENANTRY_MASTER_KEY: '' }, 'test'));
    expect(again.equals(first)).toBe(true);
    expect(warnings[1]).toMatch(/using the generated master key in .*master\.key$/);
  });

  it('refuses in production without the variable, even when a generated file exists', () => {
    loadMasterKey(options({}));
    const error = (() => {
      try {
        loadMasterKey(options({}, 'production'));
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(TenantryError);
    expect(error).toMatchObject({ code: 'refused', message: expect.stringMatching(/TENANTRY_MASTER_KEY is not set/) as unknown });
  });

  it('names the variable or the file when its value is not a key, never the value', () => {
    expect(() => loadMasterKey(options({ TENANTRY_MASTER_KEY: 'c2hvcnQ=' }))).toThrow(
      /^TENANTRY_MASTER_KEY must decode to exactly 32 bytes, not 5/,
    );
    loadMasterKey(options({}));
    writeFileSync(join(dataDir, 'master.key'), 'c2hvcnQ=\n');
    expect(() => loadMasterKey(options({}))).toThrow(/master\.key must decode to exactly 32 bytes, not 5; generate/);
  });
});
