/**
 * `tenantry db seed --scale`: loads the planned rows, deterministically, with every reference
 * inside its own tenant, on PostgreSQL and PGlite, in bulk mode and with triggers on; refuses
 * a seed that is already loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { migrate } from '../../db/migrator/runner.js';
import { validateDatabase } from '../../validate/index.js';
import { type TestDatabase, createTestDatabase } from '../../../test/support/database.js';
import { planShape } from './plan.js';
import { type ScaleOptions, type ScaleProgress, type ScaleSummary, expectedRows, seedScale } from './seed-scale.js';

const AS_OF = new Date('2026-01-15T00:00:00Z');
const OPTIONS = { organizations: 6, tasks: 1_200, seed: 11, asOf: AS_OF } satisfies ScaleOptions;
const LOADED_TABLES = [
  'users', 'organization_slugs', 'organizations', 'members', 'subscriptions', 'projects', 'project_members', 'epics', 'sprints', 'tasks',
  'comments', 'documents', 'audit_logs',
];

/** Per-table row counts of the organizations whose slug starts with `scale-<seed>-` (and of their users). */
async function countsFor(db: Database, seed: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const orgs = `(select id from organizations where slug like 'scale-${seed}-%')`;
  for (const table of LOADED_TABLES) {
    const where =
      table === 'users'
        ? `email like 'user-${seed}-%@scale.example'`
        : table === 'organizations'
          ? `id in ${orgs}`
          : table === 'organization_slugs'
            ? `organization_ref in ${orgs}`
            : `organization_id in ${orgs}`;
    const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`);
    counts[table] = row?.n ?? 0;
  }
  return counts;
}

/** A digest of every row of `table` belonging to seed `seed`, in id order. */
async function checksum(db: Database, table: 'tasks' | 'comments' | 'audit_logs', seed: number): Promise<string> {
  const [row] = await db.query<{ digest: string }>(
    `select md5(string_agg(t::text, '|' order by t.id)) as digest from ${table} t
      where organization_id in (select id from organizations where slug like 'scale-${seed}-%')`,
  );
  return row?.digest ?? 'empty';
}

describe('scale seed', () => {
  let main: TestDatabase;
  let twin: TestDatabase;
  let summary: ScaleSummary;
  let indexesBefore: unknown[];
  const progress: ScaleProgress[] = [];
  const indexes = (db: Database) =>
    db.query(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`);

  beforeAll(async () => {
    main = await createTestDatabase();
    await migrate(main.db);
    indexesBefore = await indexes(main.db);
    summary = await seedScale(main.db, { ...OPTIONS, onProgress: (event) => progress.push(event) });
  });

  afterAll(async () => {
    await main?.destroy();
    await twin?.destroy();
  });

  it('loads the planned number of rows into every table, in bulk mode', async () => {
    const expected = expectedRows(planShape(OPTIONS));
    expect(summary.mode).toBe('bulk');
    expect(expected).toMatchObject({ organizations: 6, subscriptions: 6, tasks: 1_200 });
    expect(Object.fromEntries(summary.tables.map((t) => [t.table, t.rows]))).toEqual(expected);
    expect(await countsFor(main.db, OPTIONS.seed)).toEqual(expected);
    expect(summary.totalRows).toBe(Object.values(expected).reduce((sum, n) => sum + n, 0));
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
    expect(expected.comments).toBeGreaterThan(expected.tasks / 2);
    // An insert per row of every audited table, plus the move to done of every finished task.
    expect(expected.audit_logs).toBeGreaterThan(expected.tasks + expected.comments);
  });

  it('reports progress up to the total', () => {
    const loads = progress.filter((event) => event.step === 'load');
    const last = loads[loads.length - 1];
    expect(last?.loaded).toBe(last?.total);
    expect(last?.total).toBe(summary.totalRows);
    expect(progress.map((event) => event.step).slice(-4)).toEqual(['index', 'check', 'commit', 'analyze']);
  });

  it('builds the secondary indexes it dropped again, exactly as they were', async () => {
    expect(summary.rebuiltIndexes).toEqual(expect.arrayContaining(['public.tasks_project_id_search_vector_idx', 'public.audit_logs_organization_id_created_at_id_idx']));
    expect(await indexes(main.db)).toEqual(indexesBefore);
  });

  it('gives organizations a skewed size and tasks realistic values', async () => {
    const sizes = summary.largest.map((o) => o.tasks);
    expect(sizes[0]).toBeGreaterThan(3 * (sizes[sizes.length - 1] ?? 0));
    const statuses = await main.db.query<{ status: string }>('select distinct status from tasks order by 1');
    expect(statuses.map((row) => row.status)).toEqual(['canceled', 'done', 'in_progress', 'in_review', 'todo']);
    const [spread] = await main.db.query<{ days: number; assigned: number; sprinted: number; found: number }>(
      `select extract(day from max(created_at) - min(created_at))::int as days,
              count(*) filter (where assignee_id is not null)::int as assigned,
              count(*) filter (where sprint_id is not null)::int as sprinted,
              count(*) filter (where search_vector @@ plainto_tsquery('english', 'customers report'))::int as found
         from tasks`,
    );
    expect(spread?.days).toBeGreaterThan(180);
    expect(spread?.assigned).toBeGreaterThan(600);
    expect(spread?.sprinted).toBeGreaterThan(0);
    expect(spread?.found).toBeGreaterThan(0);
  });

  it('keeps every reference inside its own tenant: db validate finds nothing', async () => {
    const report = await validateDatabase(main.db);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('refuses a seed that is already loaded, and changes nothing', async () => {
    const before = await countsFor(main.db, OPTIONS.seed);
    await expect(seedScale(main.db, OPTIONS)).rejects.toThrow(/scale data for seed 11 is already loaded \(6 organizations/);
    expect(await countsFor(main.db, OPTIONS.seed)).toEqual(before);
  });

  it('produces the same rows from the same seed in another database, and other rows from another seed', async () => {
    twin = await createTestDatabase();
    await migrate(twin.db);
    await seedScale(twin.db, OPTIONS);
    for (const table of ['tasks', 'comments', 'audit_logs'] as const) {
      expect(await checksum(twin.db, table, OPTIONS.seed)).toBe(await checksum(main.db, table, OPTIONS.seed));
    }
    await seedScale(twin.db, { ...OPTIONS, seed: 12 });
    expect(await checksum(twin.db, 'tasks', 12)).not.toBe(await checksum(twin.db, 'tasks', OPTIONS.seed));
  });

  it('loads with triggers on too: the audit trigger writes the trail and the foreign keys hold', async () => {
    const options = { organizations: 3, tasks: 150, seed: 21, asOf: AS_OF, withTriggers: true };
    const triggered = await seedScale(main.db, options);
    expect(triggered.mode).toBe('triggers');
    const expected = expectedRows(planShape(options));
    const counts = await countsFor(main.db, options.seed);
    const { audit_logs: auditRows, ...tables } = counts;
    const { audit_logs: generatedAuditRows, ...expectedTables } = expected;
    expect(tables).toEqual(expectedTables);
    // The triggers record inserts only: one per row of every table but the platform's, and no move to done.
    const platform = new Set(['users', 'organization_slugs']);
    const inserts = Object.entries(expectedTables).reduce((sum, [table, n]) => sum + (platform.has(table) ? 0 : n), 0);
    expect(auditRows).toBe(inserts);
    expect(generatedAuditRows).toBeGreaterThan(inserts);
    expect((await validateDatabase(main.db)).findings).toEqual([]);
  });
});
