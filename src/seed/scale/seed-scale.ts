import type { Database } from '../../db/connection.js';
import { TenantryError, sqlState } from '../../errors.js';
import { seedReferenceData } from '../reference-data.js';
import { SeedWriter } from '../writer.js';
import { bypassRowLevelSecurity } from '../../validate/row-counts.js';
import { type BulkConnection, withBulkConnection } from './copy.js';
import { deferIndexes } from './indexes.js';
import { type PlanCode, type ScaleShape, planShape, slugPrefix } from './plan.js';
import { AUDIT_COLUMNS, AUDIT_REQUEST_ID, type GenerationContext, TABLES, auditRows } from './tables.js';
import { deriveTask } from './work.js';

/** Without --tasks, each organization brings a thousand tasks on average: --scale 1000 is a million. */
export const DEFAULT_TASKS_PER_ORGANIZATION = 1_000;

export type ScaleOptions = {
  /** How many organizations to create. */
  organizations: number;
  /** Tasks over all organizations, spread with a Zipf skew; defaults to 1,000 per organization. */
  tasks?: number;
  /** The PRNG seed: the same seed (and asOf day) gives the same rows, ids included. Defaults to 1. */
  seed?: number;
  /** The day the data is "as of" (dates spread over the two years before it); defaults to today. */
  asOf?: Date;
  /** Load with every trigger and foreign key check on, as a non-superuser must (slow; for comparison and tests). */
  withTriggers?: boolean;
  onProgress?: (event: ScaleProgress) => void;
};

export type ScaleProgress =
  | { step: 'load'; table: string; tableRows: number; tableTotal: number; loaded: number; total: number }
  | { step: 'index' | 'check' | 'commit' | 'analyze' };

/** Rows per loaded table. */
export type RowCounts = {
  users: number;
  organization_slugs: number;
  organizations: number;
  members: number;
  subscriptions: number;
  projects: number;
  project_members: number;
  epics: number;
  sprints: number;
  tasks: number;
  comments: number;
  documents: number;
  audit_logs: number;
};

export type TableLoad = { table: string; rows: number; ms: number };

export type ScaleSummary = {
  seed: number;
  /** The as-of day, YYYY-MM-DD. */
  asOf: string;
  organizations: number;
  tasks: number;
  /** `bulk`: triggers and foreign-key checks off during COPY, audit rows generated; `triggers`: everything on. */
  mode: 'bulk' | 'triggers';
  /** Secondary indexes dropped before COPY and built again after it (bulk mode as a superuser). */
  rebuiltIndexes: string[];
  tables: TableLoad[];
  totalRows: number;
  /** Wall time of the whole run: planning, COPY, checks, commit and ANALYZE. */
  elapsedMs: number;
  rowsPerSecond: number;
  /** The biggest tenants, for benchmarks that want the worst case. */
  largest: { id: string; slug: string; tasks: number; members: number; projects: number }[];
};

/**
 * Loads `organizations` tenants of realistic shape — members, projects with teams, epics,
 * sprints, tasks with a skewed size distribution, comments, documents and their audit trail —
 * with COPY, in one transaction. Deterministic: the same seed and as-of day give the same rows.
 *
 * Speed versus safety. Per-row triggers would dominate a bulk load: the audit trigger
 * serialises every row to jsonb and inserts a second row, the foreign-key triggers probe a
 * parent index per reference. So when the connecting role may (a superuser, or a role
 * granted SET on the parameter) the load runs with `session_replication_role = replica`,
 * which skips triggers and foreign-key checks for this transaction only. The seed then writes
 * the audit rows itself (COPY as well) and, before committing, checks what the skipped
 * triggers would have: that every reference finds its parent and every table got the rows
 * planned. As a superuser it also drops the plain secondary indexes of the tables the load
 * at least doubles and builds them again before commit (see indexes.ts). Task numbers are
 * always supplied, so the numbering trigger (an advisory lock and a max() per row) never does
 * work. Otherwise — or with `withTriggers` — everything stays on: correct by construction,
 * several times slower.
 *
 * Idempotence: organization ids and slugs (`scale-<seed>-<n>`) derive from the seed, and a
 * seed that already has organizations in the database is refused; use another seed or a
 * fresh database. Scale users get no credentials and cannot sign in.
 *
 * @example
 * const summary = await seedScale(db, { organizations: 1_000, tasks: 1_000_000, seed: 7 });
 */
export async function seedScale(db: Database, options: ScaleOptions): Promise<ScaleSummary> {
  const started = performance.now();
  const organizations = checkCount('organizations', options.organizations, 1, 1_000_000);
  const tasks = checkCount('tasks', options.tasks ?? organizations * DEFAULT_TASKS_PER_ORGANIZATION, 0, 100_000_000);
  const seed = checkCount('seed', options.seed ?? 1, 0, 2 ** 31 - 1);
  const shape = planShape({ organizations, tasks, seed, asOf: options.asOf ?? new Date() });

  return withBulkConnection(db, async (connection) => {
    await refuseExistingSeed(connection, seed);
    const expected = expectedRows(shape);
    const writer = new SeedWriter(connection);
    await writer.transaction(null, () => seedReferenceData(writer));
    const context: GenerationContext = { shape, planIds: await planIds(connection) };

    const load = await loadInTransaction(connection, context, expected, options);
    options.onProgress?.({ step: 'analyze' });
    await connection.query(`analyze ${[...TABLES.map((spec) => spec.table), 'audit_logs'].join(', ')}`);

    const totalRows = load.tables.reduce((sum, t) => sum + t.rows, 0);
    const elapsedMs = performance.now() - started;
    return {
      seed,
      asOf: new Date(shape.asOf).toISOString().slice(0, 10),
      organizations,
      tasks,
      ...load,
      totalRows,
      elapsedMs,
      rowsPerSecond: Math.round(totalRows / (elapsedMs / 1000)),
      largest: [...shape.organizations]
        .sort((a, b) => b.tasks - a.tasks || a.index - b.index)
        .slice(0, 5)
        .map((o) => ({ id: o.id, slug: o.slug, tasks: o.tasks, members: o.members.length, projects: o.projects.length })),
    };
  });
}

/** Every table in one transaction: all of the seed's rows, or (on any failure) none of them. */
async function loadInTransaction(
  connection: BulkConnection,
  context: GenerationContext,
  expected: RowCounts,
  options: ScaleOptions,
): Promise<Pick<ScaleSummary, 'mode' | 'rebuiltIndexes' | 'tables'>> {
  const planned = new Map<string, number>(Object.entries(expected));
  const superuser = await isSuperuser(connection);
  await connection.query('begin');
  try {
    const mode = await chooseMode(connection, options.withTriggers ?? false);
    await connection.query(
      `select set_config('app.organization_id', '', true), set_config('app.user_id', '', true),
              set_config('app.request_id', $1, true)`,
      [AUDIT_REQUEST_ID],
    );
    // A superuser already sees and writes every tenant; anyone else acts as tenantry_platform
    // (BYPASSRLS). A superuser stays itself: PGlite's COPY from a blob is a server-file COPY.
    await bypassRowLevelSecurity(connection);
    // Dropping an index takes its table's owner; a superuser is one.
    const deferred = mode === 'bulk' && superuser ? await deferIndexes(connection, planned) : null;
    const tables = await loadTables(connection, context, planned, mode, options.onProgress);
    if (deferred && deferred.names.length > 0) {
      options.onProgress?.({ step: 'index' });
      await deferred.rebuild();
    }
    options.onProgress?.({ step: 'check' });
    if (mode === 'bulk') await checkReferences(connection, context.shape);
    else tables.push(await countTriggerAudit(connection, context.shape, expected));
    options.onProgress?.({ step: 'commit' });
    await connection.query('commit');
    return { mode, rebuiltIndexes: deferred?.names ?? [], tables };
  } catch (error) {
    // PGlite is one connection for the whole process: a transaction left open would swallow the next caller's work.
    await connection.query('rollback').catch(() => undefined);
    throw error;
  }
}

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TenantryError('bad_request', `scale seed: ${name} must be a whole number from ${min} to ${max}, not ${value}`);
  }
  return value;
}

/**
 * Refuses a seed whose organizations exist, before any work. Read past row-level security
 * (organizations' is forced) in a transaction that is rolled back; a run racing this one on
 * the same seed is stopped by the unique slugs instead.
 */
async function refuseExistingSeed(connection: BulkConnection, seed: number): Promise<void> {
  await connection.query('begin transaction read only');
  let row: { n: number } | undefined;
  try {
    await bypassRowLevelSecurity(connection);
    [row] = await connection.query<{ n: number }>(
      `select count(*)::int as n from organizations where slug like $1`,
      [`${slugPrefix(seed)}%`],
    );
  } finally {
    await connection.query('rollback');
  }
  if ((row?.n ?? 0) > 0) {
    throw new TenantryError(
      'conflict',
      `scale data for seed ${seed} is already loaded (${row?.n} organizations named ${slugPrefix(seed)}*); use another --seed or a fresh database`,
    );
  }
}

async function planIds(connection: BulkConnection): Promise<Record<PlanCode, string>> {
  const rows = await connection.query<{ code: string; id: string }>(
    `select code, id::text as id from subscription_plans where code = any($1::text[])`,
    [['free', 'pro', 'enterprise']],
  );
  const byCode = new Map(rows.map((row) => [row.code, row.id]));
  const id = (code: PlanCode) => {
    const found = byCode.get(code);
    if (!found) throw new TenantryError('internal', `subscription plan "${code}" is missing after the reference data was seeded`);
    return found;
  };
  return { free: id('free'), pro: id('pro'), enterprise: id('enterprise') };
}

async function isSuperuser(connection: BulkConnection): Promise<boolean> {
  const [me] = await connection.query<{ superuser: boolean }>('select rolsuper as superuser from pg_roles where rolname = current_user');
  return me?.superuser === true;
}

/** Bulk mode when the role may set session_replication_role; a refusal (42501) means triggers stay on. */
async function chooseMode(connection: BulkConnection, withTriggers: boolean): Promise<'bulk' | 'triggers'> {
  if (withTriggers) return 'triggers';
  await connection.query('savepoint scale_replica');
  try {
    await connection.query('set local session_replication_role = replica');
    await connection.query('release savepoint scale_replica');
    return 'bulk';
  } catch (error) {
    if (sqlState(error) !== '42501') throw error;
    await connection.query('rollback to savepoint scale_replica');
    return 'triggers';
  }
}

async function loadTables(
  connection: BulkConnection,
  context: GenerationContext,
  planned: Map<string, number>,
  mode: 'bulk' | 'triggers',
  onProgress: ScaleOptions['onProgress'],
): Promise<TableLoad[]> {
  const specs = [
    ...TABLES.map((spec) => ({ table: spec.table, columns: spec.columns, rows: () => spec.rows(context) })),
    // With triggers on, the audit trigger writes the trail as the rows arrive.
    ...(mode === 'bulk' ? [{ table: 'audit_logs', columns: AUDIT_COLUMNS, rows: () => auditRows(context) }] : []),
  ];
  const total = specs.reduce((sum, spec) => sum + (planned.get(spec.table) ?? 0), 0);
  let loaded = 0;
  const loads: TableLoad[] = [];
  for (const spec of specs) {
    const tableStarted = performance.now();
    const tableTotal = planned.get(spec.table) ?? 0;
    let tableRows = 0;
    const rows = await connection.copy(spec.table, spec.columns, spec.rows(), (n) => {
      tableRows += n;
      loaded += n;
      onProgress?.({ step: 'load', table: spec.table, tableRows, tableTotal, loaded, total });
    });
    if (rows !== tableTotal) {
      throw new TenantryError('internal', `scale seed: ${spec.table} got ${rows} rows, the plan had ${tableTotal}`);
    }
    loads.push({ table: spec.table, rows, ms: performance.now() - tableStarted });
  }
  return loads;
}

/**
 * Row counts the shape implies, table by table. Comments and task updates depend on each
 * task's draw, so every task is derived once here (cheap: no text).
 */
export function expectedRows(shape: ScaleShape): RowCounts {
  const counts: RowCounts = {
    users: 0, organization_slugs: shape.organizations.length, organizations: shape.organizations.length, members: 0,
    subscriptions: shape.organizations.length,
    projects: 0, project_members: 0, epics: 0, sprints: 0, tasks: 0, comments: 0, documents: 0, audit_logs: 0,
  };
  let finished = 0;
  for (const organization of shape.organizations) {
    counts.users += organization.members.length;
    counts.members += organization.members.length;
    for (const project of organization.projects) {
      counts.projects += 1;
      counts.project_members += project.team.length;
      counts.epics += project.epics;
      counts.sprints += project.sprints;
      counts.documents += project.documents;
      counts.tasks += project.tasks;
      for (let number = 1; number <= project.tasks; number++) {
        const task = deriveTask(shape, organization, project, number);
        counts.comments += task.comments;
        if (task.status === 'done') finished += 1;
      }
    }
  }
  // An insert row for every row of every audited table (all but users), and one update per finished task.
  counts.audit_logs =
    counts.organizations + counts.members + counts.subscriptions + counts.projects + counts.project_members +
    counts.epics + counts.sprints + counts.tasks + counts.comments + counts.documents + finished;
  return counts;
}

/**
 * What the foreign-key triggers would have refused, counted for the loaded organizations
 * only: any hit is a bug in the generator, and the transaction is rolled back. (The full
 * check of the whole database is `tenantry db validate`.)
 */
const REFERENCE_CHECKS: { name: string; sql: string }[] = [
  { name: 'members → users', sql: 'select count(*) from members c where c.organization_id = any($1) and not exists (select from users p where p.id = c.user_id)' },
  { name: 'projects → members (owner)', sql: 'select count(*) from projects c where c.organization_id = any($1) and c.owner_id is not null and not exists (select from members p where p.organization_id = c.organization_id and p.user_id = c.owner_id)' },
  { name: 'project_members → members', sql: 'select count(*) from project_members c where c.organization_id = any($1) and not exists (select from members p where p.organization_id = c.organization_id and p.user_id = c.user_id)' },
  { name: 'project_members → projects', sql: 'select count(*) from project_members c where c.organization_id = any($1) and not exists (select from projects p where p.organization_id = c.organization_id and p.id = c.project_id)' },
  { name: 'epics → projects', sql: 'select count(*) from epics c where c.organization_id = any($1) and not exists (select from projects p where p.organization_id = c.organization_id and p.id = c.project_id)' },
  { name: 'sprints → projects', sql: 'select count(*) from sprints c where c.organization_id = any($1) and not exists (select from projects p where p.organization_id = c.organization_id and p.id = c.project_id)' },
  { name: 'tasks → projects', sql: 'select count(*) from tasks c where c.organization_id = any($1) and not exists (select from projects p where p.organization_id = c.organization_id and p.id = c.project_id)' },
  { name: 'tasks → sprints', sql: 'select count(*) from tasks c where c.organization_id = any($1) and c.sprint_id is not null and not exists (select from sprints p where p.organization_id = c.organization_id and p.project_id = c.project_id and p.id = c.sprint_id)' },
  { name: 'tasks → epics', sql: 'select count(*) from tasks c where c.organization_id = any($1) and c.epic_id is not null and not exists (select from epics p where p.organization_id = c.organization_id and p.project_id = c.project_id and p.id = c.epic_id)' },
  { name: 'tasks → members (assignee)', sql: 'select count(*) from tasks c where c.organization_id = any($1) and c.assignee_id is not null and not exists (select from members p where p.organization_id = c.organization_id and p.user_id = c.assignee_id)' },
  { name: 'tasks → members (creator)', sql: 'select count(*) from tasks c where c.organization_id = any($1) and c.created_by_id is not null and not exists (select from members p where p.organization_id = c.organization_id and p.user_id = c.created_by_id)' },
  { name: 'comments → tasks', sql: 'select count(*) from comments c where c.organization_id = any($1) and not exists (select from tasks p where p.organization_id = c.organization_id and p.id = c.task_id)' },
  { name: 'comments → members (author)', sql: 'select count(*) from comments c where c.organization_id = any($1) and c.author_id is not null and not exists (select from members p where p.organization_id = c.organization_id and p.user_id = c.author_id)' },
  { name: 'documents → projects', sql: 'select count(*) from documents c where c.organization_id = any($1) and not exists (select from projects p where p.organization_id = c.organization_id and p.id = c.project_id)' },
];

async function checkReferences(connection: BulkConnection, shape: ScaleShape): Promise<void> {
  const ids = shape.organizations.map((o) => o.id);
  const [row] = await connection.query<Record<string, string | number>>(
    `select ${REFERENCE_CHECKS.map((check, i) => `(${check.sql}) as c${i}`).join(', ')}`,
    [ids],
  );
  const broken = REFERENCE_CHECKS.map((check, i) => ({ name: check.name, rows: Number(row?.[`c${i}`] ?? 0) }))
    .filter((check) => check.rows > 0)
    .map((check) => `${check.name}: ${check.rows}`);
  if (broken.length > 0) {
    throw new TenantryError('internal', `scale seed: rows point at nothing (${broken.join('; ')}); nothing was committed`);
  }
}

async function countTriggerAudit(connection: BulkConnection, shape: ScaleShape, expected: RowCounts): Promise<TableLoad> {
  const [row] = await connection.query<{ n: number }>(
    'select count(*)::int as n from audit_logs where organization_id = any($1)',
    [shape.organizations.map((o) => o.id)],
  );
  const rows = row?.n ?? 0;
  // The triggers write inserts only; the generated trail also has an update per finished task.
  // Users and the slugs' registry are platform tables, which have no trail.
  const inserts = Object.entries(expected)
    .filter(([table]) => table !== 'users' && table !== 'organization_slugs' && table !== 'audit_logs')
    .reduce((sum, [, n]) => sum + n, 0);
  if (rows !== inserts) throw new TenantryError('internal', `scale seed: the audit trigger wrote ${rows} rows, expected ${inserts}`);
  return { table: 'audit_logs', rows, ms: 0 };
}
