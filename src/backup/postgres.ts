import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { dropDatabase, ensureDatabaseExists } from '../db/admin.js';
import { type SqlSession, openDatabase, redactUrl } from '../db/connection.js';
import { ensureRoles } from '../db/roles.js';
import { TenantryError, sqlState } from '../errors.js';
import { type BackupArchive, extractPayload, writeArchive } from './archive.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupManifest, PAYLOAD_NAMES } from './manifest.js';
import { connectionEnv, dbnameArgument, majorOf, runPgTool, type ToolVersion, toolVersion } from './pg-tools.js';
import type { ProgressClock } from './progress.js';
import { inReadOnlySnapshot, readSchemaVersion, readTableChecksums } from './snapshot.js';

/**
 * Backs up with `pg_dump --format=custom`. The manifest's checksums and the dump read the same
 * snapshot: one repeatable-read transaction exports it to pg_dump (--snapshot) and stays open
 * until pg_dump is done, so rows written meanwhile are in neither.
 *
 * Owners and grants stay in the dump; the roles they name are cluster-wide and are not, which
 * is why restore creates them first.
 */
export async function backupPostgres(url: string, out: string, clock: ProgressClock): Promise<BackupManifest> {
  const pgDump = await toolVersion('pg_dump');
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 1 });
  // Next to the backup, so the final copy stays on one file system and space is checked where it matters.
  const workDir = await mkdtemp(join(dirname(out), '.tenantry-backup-'));
  const payload = join(workDir, PAYLOAD_NAMES.postgres);
  try {
    const dumped = await db.session(async (session) => {
      const server = await readServer(session);
      if (server.major > pgDump.major) {
        throw new TenantryError(
          'unavailable',
          `the server runs PostgreSQL ${server.version} but pg_dump is ${pgDump.version}, and pg_dump cannot dump a newer server; install postgresql-client-${server.major}`,
        );
      }
      if (!server.bypassesRls) {
        throw new TenantryError(
          'database_permission',
          `a backup must read every tenant's rows, but "${server.user}" is subject to row-level security; connect as a superuser or a role with BYPASSRLS`,
        );
      }
      return inReadOnlySnapshot(session, async () => {
        const [exported] = await session.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
        const schemaVersion = await readSchemaVersion(session);
        clock.step('reading row counts and checksums');
        const tables = await readTableChecksums(session, (done, total) => clock.update(`${done}/${total} tables`));
        clock.step(`dumping ${tables.length} tables with pg_dump ${pgDump.version}`);
        let started = 0;
        await runPgTool(
          'pg_dump',
          [
            '--format=custom',
            '--compress=6',
            `--snapshot=${exported?.snapshot ?? ''}`,
            // pg_dump waits for a lock on every table; a migration holding one should not stall it forever.
            '--lock-wait-timeout=30s',
            '--no-password',
            '--verbose',
            `--file=${payload}`,
          ],
          { env: connectionEnv(url), onTable: () => clock.update(`${++started}/${tables.length} tables`) },
        );
        return { server, schemaVersion, tables };
      });
    });
    clock.step(`writing ${out}`);
    return await writeArchive(out, payload, {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      engine: 'postgres',
      created_at: new Date().toISOString(),
      source: redactUrl(url),
      server_version: dumped.server.version,
      tool: { name: 'pg_dump', version: pgDump.version },
      schema_version: dumped.schemaVersion,
      tables: dumped.tables,
    });
  } finally {
    await db.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Everything that can refuse a restore before anything is written: pg_restore is there and
 * can read this dump, and the target database is missing or empty.
 */
export async function checkPostgresRestore(manifest: BackupManifest, url: string): Promise<ToolVersion> {
  const pgRestore = await toolVersion('pg_restore');
  const dumpMajor = majorOf(manifest.tool.version);
  if (dumpMajor > pgRestore.major) {
    throw new TenantryError(
      'unavailable',
      `the backup was made by pg_dump ${manifest.tool.version}, which pg_restore ${pgRestore.version} cannot read; install postgresql-client-${dumpMajor}`,
    );
  }
  const occupants = await targetOccupants(url);
  if (occupants.length > 0) {
    const shown = occupants.slice(0, 3).join(', ');
    const more = occupants.length > 3 ? ` and ${occupants.length - 3} more` : '';
    throw new TenantryError(
      'refused',
      `refusing to restore into ${redactUrl(url)}: it is not empty (${shown}${more}); restore into a new database with --into postgres://…/<new name>`,
    );
  }
  return pgRestore;
}

/**
 * Creates the database when missing and the tenantry roles, then runs pg_restore in one
 * transaction, keeping owners and grants. If it fails, nothing of the dump is left, and a
 * database this call created is dropped again.
 */
export async function restorePostgres(
  archive: BackupArchive,
  url: string,
  pgRestore: ToolVersion,
  clock: ProgressClock,
): Promise<{ createdDatabase: boolean }> {
  const name = databaseName(url);
  const createdDatabase = await ensureDatabaseExists(url);
  if (createdDatabase) clock.step(`created database ${name}`);
  const workDir = await mkdtemp(join(tmpdir(), 'tenantry-restore-'));
  try {
    const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 1 });
    try {
      clock.step('creating the tenantry roles where missing');
      await db.session(ensureRoles);
    } finally {
      await db.close();
    }
    const dumpFile = join(workDir, PAYLOAD_NAMES.postgres);
    await extractPayload(archive, dumpFile);
    const total = archive.manifest.tables.length;
    clock.step(`restoring ${total} tables with pg_restore ${pgRestore.version}`);
    let started = 0;
    await runPgTool(
      'pg_restore',
      ['--exit-on-error', '--single-transaction', '--no-password', '--verbose', `--dbname=${dbnameArgument(name)}`, dumpFile],
      { env: connectionEnv(url), onTable: () => clock.update(`${++started}/${total} tables`) },
    );
    return { createdDatabase };
  } catch (error) {
    if (createdDatabase) await dropDatabase(url).catch(() => undefined);
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

type ServerFacts = { version: string; major: number; bypassesRls: boolean; user: string };

async function readServer(session: SqlSession): Promise<ServerFacts> {
  const [row] = await session.query<{ version: string; num: number; bypasses: boolean; user: string }>(
    `select current_setting('server_version') as version, current_setting('server_version_num')::int as num,
            r.rolsuper or r.rolbypassrls as bypasses, current_user as "user"
       from pg_roles r where r.rolname = current_user`,
  );
  if (!row) throw new TenantryError('database_permission', 'cannot read the connecting role from pg_roles');
  // "15.20 (Debian 15.20-0+deb12u1)" → "15.20"
  return { version: row.version.split(' ')[0] ?? row.version, major: Math.floor(row.num / 10_000), bypassesRls: row.bypasses, user: row.user };
}

/**
 * Tables, views and sequences in any non-system schema, and schemas other than public: what
 * would make a restore collide. A database that does not exist yet has none.
 */
async function targetOccupants(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    if (sqlState(error) === '3D000') return [];
    throw new TenantryError(
      'database_unreachable',
      `cannot reach PostgreSQL at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const { rows } = await client.query<{ name: string }>(
      `select n.nspname || '.' || c.relname as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
          and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
       union all
       select 'schema ' || nspname from pg_namespace
        where nspname not in ('public', 'information_schema') and nspname !~ '^pg_'
       order by 1`,
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new TenantryError('bad_request', `the restore target names no database: ${redactUrl(url)}`);
  return name;
}
