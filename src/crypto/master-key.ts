import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TenantryError } from '../errors.js';
import { generateMasterKey, parseMasterKey } from './envelope.js';

export type LoadMasterKeyOptions = {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  nodeEnv: 'development' | 'test' | 'production';
  /** Receives one line when a generated key is in use, so nobody mistakes it for a configured one. */
  warn: (line: string) => void;
};

const FILE_NAME = 'master.key';

/**
 * The platform master key: TENANTRY_MASTER_KEY when set. Outside production, the embedded
 * default falls back to `<dataDir>/master.key`, generated on first use; production refuses,
 * because a key that lives next to the data it protects protects nothing.
 *
 * @example
 * const masterKey = loadMasterKey({ env: process.env, dataDir: config.dataDir, nodeEnv: config.nodeEnv, warn: console.warn });
 */
export function loadMasterKey(options: LoadMasterKeyOptions): Buffer {
  const configured = options.env.TENANTRY_MASTER_KEY;
  // An empty variable means "not set", as it does for DATABASE_URL.
  if (configured !== undefined && configured !== '') return parseMasterKey(configured, 'TENANTRY_MASTER_KEY');

  if (options.nodeEnv === 'production') {
    throw new TenantryError(
      'refused',
      'TENANTRY_MASTER_KEY is not set; production never generates its own master key (generate one with: openssl rand -base64 32)',
    );
  }

  const path = resolve(join(options.dataDir, FILE_NAME));
  const existing = readKeyFile(path);
  if (existing !== null) {
    options.warn(`TENANTRY_MASTER_KEY is not set: using the generated master key in ${path}`);
    return parseMasterKey(existing, path);
  }

  const key = generateMasterKey();
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // `wx`: if another process generated the key a moment ago, keep theirs instead of overwriting it.
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (fsCode(error) === 'EEXIST') return loadMasterKey(options);
    throw new TenantryError('internal', `cannot write the master key to ${path}: ${fsCode(error) ?? String(error)}`);
  }
  options.warn(
    `TENANTRY_MASTER_KEY is not set: generated a master key in ${path}; back it up, since losing it loses every stored secret`,
  );
  return key;
}

/** The file's text, or null when there is no file yet. */
function readKeyFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (fsCode(error) === 'ENOENT') return null;
    throw new TenantryError('internal', `cannot read the master key in ${path}: ${fsCode(error) ?? String(error)}`);
  }
}

function fsCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
