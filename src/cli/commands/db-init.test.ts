import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase, engine } from '../../../test/support/database.js';
import { loadConfig } from '../../config.js';
import { migrationStatus, rollback } from '../../db/migrator/runner.js';
import { initDatabase, prepareToServe } from './db-init.js';

/** Nothing listens on port 1: a DATABASE_URL that only works if nobody uses it. */
const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/unreachable';

describe.skipIf(engine !== 'postgres')('npm start on PostgreSQL', () => {
  let test: TestDatabase;
  const env = (extra: Record<string, string>) => ({ NODE_ENV: 'test', TENANTRY_DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-init-')), ...extra });
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.destroy();
  });

  const pending = async () => (await migrationStatus(test.db)).filter((s) => s.status === 'pending').map((s) => s.version);
  const organizations = async () => (await test.db.query<{ n: string }>(`select count(*)::text as n from organizations`))[0]?.n;

  it('migrates through DATABASE_DIRECT_URL when it is set', async () => {
    const url = test.url ?? '';
    expect(loadConfig(env({ DATABASE_URL: UNREACHABLE, DATABASE_DIRECT_URL: url })).migrationDatabase).toEqual({ kind: 'postgres', url });
    expect(loadConfig(env({ DATABASE_URL: url })).migrationDatabase).toEqual({ kind: 'postgres', url });
    await initDatabase(loadConfig(env({ DATABASE_URL: UNREACHABLE, DATABASE_DIRECT_URL: url })), { seed: false });
    expect(await pending()).toEqual([]);
  }, 120_000);

  it('starts without migrating or seeding when the database is current', async () => {
    expect(await organizations()).toBe('0');
    await prepareToServe(loadConfig(env({ DATABASE_URL: test.url ?? '' })), { seed: true });
    // No demo data either: nothing ran but the status check.
    expect(await organizations()).toBe('0');
  }, 120_000);

  it('refuses to start when the database is behind, naming the command to run', async () => {
    await rollback(test.db, { steps: 1 });
    const behind = await pending();
    expect(behind).toHaveLength(1);
    await expect(prepareToServe(loadConfig(env({ DATABASE_URL: test.url ?? '' })), { seed: false })).rejects.toThrow(
      /1 migration\(s\) behind .*run `npx tenantry db migrate`/,
    );
    expect(await pending()).toEqual(behind);
  }, 120_000);
});
