/**
 * `db backup` → `db restore` on the engine the tests run against: PostgreSQL when
 * TEST_DATABASE_URL / DATABASE_URL is set (pg_dump, pg_restore, fresh databases), PGlite
 * otherwise (dumpDataDir, two temporary folders). The restored database is compared with the
 * source by queries written here, independent of the code under test.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSchema } from '../../test/support/catalog.js';
import { createTestDatabase, engine, serverUrl } from '../../test/support/database.js';
import { generateMasterKey } from '../crypto/envelope.js';
import { dropDatabase, ensureDatabaseExists } from '../db/admin.js';
import { type Database, openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrator/runner.js';
import { quoteIdent } from '../db/roles.js';
import { seedDemo } from '../seed/demo.js';
import { type ValidationReport, validateDatabase } from '../validate/index.js';
import { extractPayload, openArchive, writeArchive } from './archive.js';
import { type BackupResult, type RestoreTarget, backupDatabase, restoreBackup } from './index.js';

const scratch = mkdtempSync(join(tmpdir(), 'tenantry-backup-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Every table's row count and an md5 of all its rows' text in a total order, read straight from
 * the catalog: a different method from the checksums the backup records, on purpose.
 */
async function catalogChecksums(db: Database): Promise<Record<string, string>> {
  return db.session(async (session) => {
    await session.query('begin transaction read only');
    try {
      await session.query(`set local timezone = 'UTC'`);
      const tables = await session.query<{ schema: string; name: string }>(
        `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'r' and n.nspname <> 'information_schema' and n.nspname !~ '^pg_' order by 1, 2`,
      );
      const result: Record<string, string> = {};
      for (const { schema, name } of tables) {
        const [row] = await session.query<{ n: number; digest: string | null }>(
          `select count(*)::int as n, md5(string_agg(t::text, E'\\n' order by t::text collate "C")) as digest
             from ${quoteIdent(schema)}.${quoteIdent(name)} t`,
        );
        result[`${schema}.${name}`] = `${row?.n ?? 0} rows ${row?.digest ?? 'empty'}`;
      }
      return result;
    } finally {
      await session.query('rollback');
    }
  });
}

/** Who owns each object and what it grants: pg_dump keeps both, and restore must not lose them. */
async function ownersAndGrants(db: Database): Promise<string[]> {
  const rows = await db.query<{ line: string }>(
    `select format('%s.%s %s owner=%s acl=%s', n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner), c.relacl) as line
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'app') order by 1`,
  );
  return rows.map((row) => row.line);
}

type Facts = {
  checksums: Record<string, string>;
  schema: Awaited<ReturnType<typeof describeSchema>>;
  owners: string[];
  validation: ValidationReport;
};

async function factsOf(db: Database): Promise<Facts> {
  return {
    checksums: await catalogChecksums(db),
    schema: await describeSchema(db),
    owners: await ownersAndGrants(db),
    validation: await validateDatabase(db),
  };
}

async function seededSource(db: Database): Promise<void> {
  await migrate(db);
  await seedDemo(db, { production: false, masterKey: generateMasterKey(), now: new Date('2025-01-15T12:00:00Z') });
}

/** The one line a refused restore reports. */
async function refusal(file: string, target: RestoreTarget): Promise<string> {
  try {
    await restoreBackup(file, target);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the restore was not refused');
}

function damagedCopies(file: string): { truncated: string; corrupted: string } {
  const bytes = readFileSync(file);
  const truncated = join(scratch, `truncated-${randomBytes(3).toString('hex')}.tar`);
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const corrupted = join(scratch, `corrupted-${randomBytes(3).toString('hex')}.tar`);
  const flipped = Buffer.from(bytes);
  flipped[1024] = (flipped[1024] ?? 0) ^ 0xff; // inside the payload, past its tar header
  writeFileSync(corrupted, flipped);
  return { truncated, corrupted };
}

function expectSameDatabase(restored: Facts, source: Facts): void {
  expect(Object.keys(restored.checksums).length).toBeGreaterThan(20);
  expect(Object.values(source.checksums).filter((line) => !line.startsWith('0 rows')).length).toBeGreaterThan(10);
  expect(restored.checksums).toEqual(source.checksums);
  expect(restored.schema).toEqual(source.schema);
  expect(restored.owners).toEqual(source.owners);
  expect(restored.validation.findings).toEqual(source.validation.findings);
}

describe.runIf(engine === 'postgres')('backup and restore on PostgreSQL', () => {
  const made: string[] = [];
  /** A database name no test has used, on the test server; dropped afterwards. */
  function freshUrl(): string {
    const url = new URL(serverUrl ?? '');
    url.pathname = `/tenantry_test_${randomBytes(6).toString('hex')}`;
    made.push(url.toString());
    return url.toString();
  }
  async function databaseExists(url: string): Promise<boolean> {
    const name = new URL(url).pathname.slice(1);
    const rows = await source.db.query('select 1 from pg_database where datname = $1', [name]);
    return rows.length > 0;
  }

  let source: Awaited<ReturnType<typeof createTestDatabase>>;
  let sourceFacts: Facts;
  let backup: BackupResult;
  const progress: string[] = [];

  beforeAll(async () => {
    source = await createTestDatabase();
    await seededSource(source.db);
    sourceFacts = await factsOf(source.db);
    backup = await backupDatabase(
      { kind: 'postgres', url: source.url ?? '' },
      { out: join(scratch, 'postgres.tar'), onProgress: (line) => progress.push(line) },
    );
  });
  afterAll(async () => {
    await source?.destroy();
    await Promise.all(made.map((url) => dropDatabase(url)));
  });

  it('writes a pg_dump custom-format backup with every table counted, showing progress', () => {
    expect(backup.manifest).toMatchObject({ engine: 'postgres', tool: { name: 'pg_dump' }, payload: { name: 'database.dump' } });
    expect(backup.manifest.tables.map((t) => t.table).sort()).toEqual(Object.keys(sourceFacts.checksums).sort());
    expect(progress.join('\n')).toMatch(/reading row counts[\s\S]*dumping \d+ tables with pg_dump[\s\S]*verifying/);
    // The custom format starts with "PGDMP"; the payload sits right after the first tar header.
    expect(readFileSync(backup.file).toString('latin1', 512, 517)).toBe('PGDMP');
  });

  it('restores into a new database with identical per-table checksums, schema, owners and grants', async () => {
    const url = freshUrl();
    const result = await restoreBackup(backup.file, { kind: 'postgres', url });
    expect(result.createdDatabase).toBe(true);
    const restored = await openDatabase({ kind: 'postgres', url });
    try {
      expectSameDatabase(await factsOf(restored), sourceFacts);
      expect(result.report.findings).toEqual(sourceFacts.validation.findings);
    } finally {
      await restored.close();
    }
  });

  it('refuses a database that is not empty, and writes nothing to it', async () => {
    expect(await refusal(backup.file, { kind: 'postgres', url: source.url ?? '' })).toMatch(
      /^refusing to restore into postgres:\/\/.*: it is not empty \(public\.\w+, .*\); restore into a new database/,
    );
    expect(await catalogChecksums(source.db)).toEqual(sourceFacts.checksums);

    // One small table is enough to refuse, and it is left exactly as it was.
    const url = freshUrl();
    await ensureDatabaseExists(url);
    const occupied = await openDatabase({ kind: 'postgres', url });
    try {
      await occupied.query('create table public.keep (note text)');
      await occupied.query(`insert into public.keep values ('mine')`);
      expect(await refusal(backup.file, { kind: 'postgres', url })).toMatch(/it is not empty \(public\.keep\)/);
      const mine = createHash('md5').update('(mine)').digest('hex');
      expect(await catalogChecksums(occupied)).toEqual({ 'public.keep': `1 rows ${mine}` });
    } finally {
      await occupied.close();
    }
  });

  it('refuses a truncated or corrupted backup in one line, before creating anything', async () => {
    const { truncated, corrupted } = damagedCopies(backup.file);
    const url = freshUrl();
    expect(await refusal(truncated, { kind: 'postgres', url })).toMatch(/^truncated-\w+\.tar is truncated: it has \d+ bytes where/);
    expect(await refusal(corrupted, { kind: 'postgres', url })).toMatch(
      /^corrupted-\w+\.tar is damaged: database\.dump does not match the sha256 in manifest\.json$/,
    );
    expect(await databaseExists(url)).toBe(false);
  });

  it('fails, naming the table, when the restored rows differ from what the manifest recorded', async () => {
    // The same dump under a manifest that remembers public.tasks differently.
    const archive = await openArchive(backup.file);
    const dump = join(scratch, 'tampered.dump');
    await extractPayload(archive, dump);
    const { manifest } = archive;
    const tables = manifest.tables.map((t) => (t.table === 'public.tasks' ? { ...t, checksum: '0'.repeat(32) } : t));
    const tampered = join(scratch, 'tampered.tar');
    // writeArchive replaces the old payload entry with the one it computes.
    await writeArchive(tampered, dump, { ...manifest, tables });

    const url = freshUrl();
    await expect(restoreBackup(tampered, { kind: 'postgres', url })).rejects.toThrow(
      /^the restored database at postgres:\/\/\S+ does not match the backup: public\.tasks has \d+ rows as it should, but their contents differ$/,
    );
  });

  it('refuses to restore a PostgreSQL backup into a PGlite folder', async () => {
    const folder = join(scratch, 'wrong-engine');
    expect(await refusal(backup.file, { kind: 'pglite', dataDir: folder })).toMatch(/is a postgres backup and cannot be restored into pglite/);
    expect(existsSync(folder)).toBe(false);
  });
});

describe.runIf(engine === 'pglite')('backup and restore on PGlite', () => {
  const sourceDir = join(scratch, 'source');
  let sourceFacts: Facts;
  let backup: BackupResult;

  beforeAll(async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: sourceDir });
    try {
      await seededSource(db);
      sourceFacts = await factsOf(db);
    } finally {
      await db.close();
    }
    backup = await backupDatabase({ kind: 'pglite', dataDir: sourceDir }, { out: join(scratch, 'pglite.tar') });
  }, 300_000);

  it('restores into a new folder with identical per-table checksums, schema, owners and grants', async () => {
    expect(backup.manifest).toMatchObject({ engine: 'pglite', tool: { name: 'pglite' }, payload: { name: 'pgdata.tar.gz' } });
    const dataDir = join(scratch, 'restored');
    const result = await restoreBackup(backup.file, { kind: 'pglite', dataDir });
    expect(result.tables).toBe(Object.keys(sourceFacts.checksums).length);
    const restored = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expectSameDatabase(await factsOf(restored), sourceFacts);
      expect(result.report.findings).toEqual(sourceFacts.validation.findings);
    } finally {
      await restored.close();
    }
  }, 180_000);

  it('refuses a folder that is not empty, and writes nothing to it', async () => {
    const before = readdirSync(sourceDir).sort();
    expect(await refusal(backup.file, { kind: 'pglite', dataDir: sourceDir })).toMatch(
      /^refusing to restore into .*source: the folder is not empty/,
    );
    expect(readdirSync(sourceDir).sort()).toEqual(before);
  });

  it('refuses a truncated or corrupted backup in one line, before creating anything', async () => {
    const { truncated, corrupted } = damagedCopies(backup.file);
    const dataDir = join(scratch, 'never');
    expect(await refusal(truncated, { kind: 'pglite', dataDir })).toMatch(/^truncated-\w+\.tar is truncated: it has \d+ bytes where/);
    expect(await refusal(corrupted, { kind: 'pglite', dataDir })).toMatch(
      /^corrupted-\w+\.tar is damaged: pgdata\.tar\.gz does not match the sha256 in manifest\.json$/,
    );
    expect(existsSync(dataDir)).toBe(false);
  });
});
