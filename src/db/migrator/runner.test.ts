import { cpSync, mkdtempSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase, engine } from '../../../test/support/database.js';
import { migrate, migrationStatus, rollback } from './runner.js';

const fixtures = join(import.meta.dirname, '../../../test/fixtures/migrations');

async function tableExists(test: TestDatabase, name: string): Promise<boolean> {
  const [row] = await test.db.query<{ present: boolean }>('select to_regclass($1) is not null as present', [name]);
  return row?.present ?? false;
}

describe('migration runner', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await createTestDatabase();
  });
  afterEach(async () => {
    await test.destroy();
  });

  it('applies pending migrations in order, once, and reports status', async () => {
    const dir = join(fixtures, 'ok');
    expect((await migrationStatus(test.db, { dir })).map((s) => s.status)).toEqual(['pending', 'pending']);

    const first = await migrate(test.db, { dir, to: '0001' });
    expect(first.map((e) => e.migration.version)).toEqual(['0001']);
    const rest = await migrate(test.db, { dir });
    expect(rest.map((e) => e.migration.version)).toEqual(['0002']);
    expect(await migrate(test.db, { dir })).toEqual([]);

    expect((await migrationStatus(test.db, { dir })).map((s) => s.status)).toEqual(['applied', 'applied']);
    const [owner] = await test.db.query<{ owner: string }>(
      `select tableowner as owner from pg_tables where tablename = 'fixture_first'`,
    );
    expect(owner?.owner).toBe('tenantry_owner');
  });

  it('rolls back by steps, to a version, and all', async () => {
    const dir = join(fixtures, 'ok');
    await migrate(test.db, { dir });
    expect((await rollback(test.db, { dir, steps: 1 })).map((e) => e.migration.version)).toEqual(['0002']);
    expect(await tableExists(test, 'fixture_second')).toBe(false);
    await migrate(test.db, { dir });
    expect((await rollback(test.db, { dir, to: '0001' })).map((e) => e.migration.version)).toEqual(['0002']);
    expect((await rollback(test.db, { dir, all: true })).map((e) => e.migration.version)).toEqual(['0001']);
    expect(await tableExists(test, 'fixture_first')).toBe(false);
  });

  it('leaves the database as it was when a migration fails', async () => {
    const dir = join(fixtures, 'failing');
    await expect(migrate(test.db, { dir })).rejects.toThrow(/0002_broken\/up\.sql:4 failed: relation "no_such_table" does not exist \(rolled back/);
    expect(await tableExists(test, 'fixture_broken')).toBe(false);
    expect(await test.db.query('select * from fixture_first')).toEqual([]);
    expect((await migrationStatus(test.db, { dir })).map((s) => s.status)).toEqual(['applied', 'pending']);
  });

  it('refuses to run when an applied migration file has changed, until told to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-drift-'));
    cpSync(join(fixtures, 'ok'), dir, { recursive: true });
    await migrate(test.db, { dir, to: '0001' });
    appendFileSync(join(dir, '0001_first', 'up.sql'), '-- edited after it ran\n');

    expect((await migrationStatus(test.db, { dir }))[0]?.status).toBe('drifted');
    await expect(migrate(test.db, { dir })).rejects.toThrow(/0001_first \(file changed since it was applied\)/);
    expect(await tableExists(test, 'fixture_second')).toBe(false);
    expect(await migrate(test.db, { dir, allowDrift: true })).toHaveLength(1);
  });

  it('rejects an unknown version before touching anything', async () => {
    const dir = join(fixtures, 'ok');
    await expect(migrate(test.db, { dir, to: '0042' })).rejects.toThrow(/unknown migration version "0042"/);
    await expect(rollback(test.db, { dir, to: 'nope' })).rejects.toThrow(/unknown migration version/);
    expect(await tableExists(test, 'public.tenantry_migrations')).toBe(false);
  });

  it('runs a no-transaction migration statement by statement', async () => {
    const dir = join(fixtures, 'no-transaction');
    await migrate(test.db, { dir });
    const [index] = await test.db.query<{ comment: string }>(
      `select obj_description('fixture_first_label_idx'::regclass, 'pg_class') as comment`,
    );
    expect(index?.comment).toBe('built; concurrently');
    await rollback(test.db, { dir, steps: 1 });
    expect(await tableExists(test, 'fixture_first_label_idx')).toBe(false);
  });

  it.runIf(engine === 'postgres')('applies each migration exactly once when two runners race', async () => {
    const dir = join(fixtures, 'ok');
    const other = await test.connectAgain();
    const [a, b] = await Promise.all([migrate(test.db, { dir }), migrate(other, { dir })]);
    expect([...a, ...b].map((e) => e.migration.version).sort()).toEqual(['0001', '0002']);
    const history = await test.db.query('select version from tenantry_migrations');
    expect(history).toHaveLength(2);
  });
});
