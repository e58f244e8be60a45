import { TenantryError } from '../../errors.js';
import type { Database, SqlSession } from '../connection.js';
import { ROLES, ensureRoles } from '../roles.js';
import { type MigrationFile, loadMigrations } from './files.js';
import { splitStatements } from './split-statements.js';

export type MigrationStatus = 'applied' | 'pending' | 'drifted' | 'missing';

export type MigrationState = {
  version: string;
  name: string;
  status: MigrationStatus;
  appliedAt: Date | null;
};

export type MigrationEvent = {
  direction: 'up' | 'down';
  migration: Pick<MigrationFile, 'version' | 'name'>;
  durationMs: number;
};

type RunnerOptions = {
  /** Another folder of migrations (tests use this to run deliberately broken ones). */
  dir?: string;
  /** Called after each migration finishes, for progress output. */
  onApplied?: (event: MigrationEvent) => void;
};

export type MigrateOptions = RunnerOptions & {
  /** Stop after this version instead of applying everything. */
  to?: string;
  /** Run even though an applied migration's file has changed since. */
  allowDrift?: boolean;
};

export type RollbackOptions = RunnerOptions & {
  /** How many applied migrations to undo, newest first. Default 1. */
  steps?: number;
  /** Undo everything applied after this version. */
  to?: string;
  /** Undo every applied migration. */
  all?: boolean;
};

const HISTORY_TABLE = 'public.tenantry_migrations';
/** Arbitrary constant; every runner on a database takes this session-level lock before it reads history. */
const MIGRATION_LOCK_KEY = 7_426_373_210;

type AppliedRow = { version: string; name: string; checksum: string; applied_at: Date };

/** Applied, pending, drifted (file changed since) and missing (applied, file gone), in version order. */
export async function migrationStatus(db: Database, options: Pick<RunnerOptions, 'dir'> = {}): Promise<MigrationState[]> {
  const files = loadMigrations(options.dir);
  const applied = await db.session(readHistory);
  return describe(files, applied);
}

/** Applies pending migrations in order, each in its own transaction, under the migration lock. */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrationEvent[]> {
  const files = loadMigrations(options.dir);
  if (options.to !== undefined) findVersion(files, options.to);

  return withMigrationLock(db, async (session) => {
    const applied = await readHistory(session);
    refuseDrift(describe(files, applied), options.allowDrift ?? false);
    const done = new Set(applied.map((row) => row.version));
    const pending = files.filter(
      (file) => !done.has(file.version) && (options.to === undefined || file.version <= options.to),
    );
    const events: MigrationEvent[] = [];
    for (const file of pending) {
      const event = await runScript(session, file, 'up');
      events.push(event);
      options.onApplied?.(event);
    }
    if (events.length > 0) await prepareFunctionsForCitus(session);
    return events;
  });
}

/**
 * Functions a migration added that may run on a Citus shard get the setting that lets them
 * (migration 0028); without Citus, or before 0014 made the function, nothing happens.
 */
async function prepareFunctionsForCitus(session: SqlSession): Promise<void> {
  const [prepare] = await session.query<{ present: boolean }>(
    "select to_regprocedure('app.prepare_functions_for_citus()') is not null as present",
  );
  if (prepare?.present) await session.query('select app.prepare_functions_for_citus()');
}

/** Undoes applied migrations, newest first, each down.sql in its own transaction. */
export async function rollback(db: Database, options: RollbackOptions = {}): Promise<MigrationEvent[]> {
  const files = loadMigrations(options.dir);
  if (options.to !== undefined) findVersion(files, options.to);

  return withMigrationLock(db, async (session) => {
    const applied = await readHistory(session);
    refuseDrift(describe(files, applied), false);
    const newestFirst = [...applied].reverse();
    const chosen = options.all
      ? newestFirst
      : options.to !== undefined
        ? newestFirst.filter((row) => row.version > (options.to ?? ''))
        : newestFirst.slice(0, options.steps ?? 1);
    const events: MigrationEvent[] = [];
    for (const row of chosen) {
      const event = await runScript(session, findVersion(files, row.version), 'down');
      events.push(event);
      options.onApplied?.(event);
    }
    return events;
  });
}

async function withMigrationLock<T>(db: Database, work: (session: SqlSession) => Promise<T>): Promise<T> {
  return db.session(async (session) => {
    await session.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await ensureRoles(session);
      // Objects belong to the owner role, never to whoever happened to connect.
      await session.query(`set role ${ROLES.owner}`);
      await session.query(
        `create table if not exists ${HISTORY_TABLE} (
           version text primary key,
           name text not null,
           checksum text not null,
           duration_ms integer not null,
           applied_at timestamptz not null default now()
         )`,
      );
      return await work(session);
    } finally {
      await session.query('reset role');
      await session.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

async function runScript(session: SqlSession, file: MigrationFile, direction: 'up' | 'down'): Promise<MigrationEvent> {
  const started = performance.now();
  const script = direction === 'up' ? file.up : file.down;
  const record = async () => {
    if (direction === 'up') {
      await session.query(
        `insert into ${HISTORY_TABLE} (version, name, checksum, duration_ms) values ($1, $2, $3, $4)`,
        [file.version, file.name, file.checksum, Math.round(performance.now() - started)],
      );
    } else {
      await session.query(`delete from ${HISTORY_TABLE} where version = $1`, [file.version]);
    }
  };
  try {
    if (file.transactional) {
      await session.query('begin');
      try {
        await session.exec(script);
        await record();
        await session.query('commit');
      } catch (error) {
        await session.query('rollback');
        throw error;
      }
    } else {
      // No transaction to roll back: each statement stands alone, as CONCURRENTLY requires.
      for (const statement of splitStatements(script)) await session.exec(statement);
      await record();
    }
  } catch (error) {
    throw new TenantryError(
      'migration_failed',
      `${file.version}_${file.name}/${direction}.sql${lineOf(script, error)} failed: ${messageOf(error)}` +
        (file.transactional ? ' (rolled back; nothing changed)' : ''),
    );
  }
  return { direction, migration: { version: file.version, name: file.name }, durationMs: performance.now() - started };
}

async function readHistory(session: SqlSession): Promise<AppliedRow[]> {
  const [exists] = await session.query<{ present: boolean }>(
    `select to_regclass($1) is not null as present`,
    [HISTORY_TABLE],
  );
  if (!exists?.present) return [];
  return session.query<AppliedRow>(
    `select version, name, checksum, applied_at from ${HISTORY_TABLE} order by version`,
  );
}

function describe(files: MigrationFile[], applied: AppliedRow[]): MigrationState[] {
  const byVersion = new Map(applied.map((row) => [row.version, row]));
  const states: MigrationState[] = files.map((file) => {
    const row = byVersion.get(file.version);
    const status: MigrationStatus = !row ? 'pending' : row.checksum === file.checksum ? 'applied' : 'drifted';
    return { version: file.version, name: file.name, status, appliedAt: row?.applied_at ?? null };
  });
  for (const row of applied) {
    if (!files.some((file) => file.version === row.version)) {
      states.push({ version: row.version, name: row.name, status: 'missing', appliedAt: row.applied_at });
    }
  }
  return states.sort((a, b) => a.version.localeCompare(b.version));
}

function refuseDrift(states: MigrationState[], allowDrift: boolean): void {
  const drifted = states.filter((s) => s.status === 'drifted' || s.status === 'missing');
  if (drifted.length === 0 || allowDrift) return;
  const names = drifted.map((s) => `${s.version}_${s.name} (${s.status === 'drifted' ? 'file changed since it was applied' : 'file is gone'})`);
  throw new TenantryError(
    'migration_drift',
    `applied migrations no longer match their files: ${names.join(', ')}; restore the files, or pass --allow-drift if the change is deliberate`,
  );
}

function findVersion(files: MigrationFile[], version: string): MigrationFile {
  const file = files.find((f) => f.version === version || `${f.version}_${f.name}` === version);
  if (!file) {
    throw new TenantryError('bad_request', `unknown migration version "${version}" (known: ${files.map((f) => f.version).join(', ')})`);
  }
  return file;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ":12" when the driver reports where in the script the error is. */
function lineOf(script: string, error: unknown): string {
  if (typeof error !== 'object' || error === null || !('position' in error)) return '';
  const position = Number(error.position);
  if (!Number.isInteger(position) || position < 1) return '';
  return `:${script.slice(0, position - 1).split('\n').length}`;
}
