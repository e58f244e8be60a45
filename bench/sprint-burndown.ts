/**
 * Sprint burndown: the burndown endpoint's SELECT (repository.burndownDays over a 14-day
 * sprint) against a plain list of the same sprint's tasks, both as the server runs them
 * (withTenant: tenantry_app, RLS forced), interleaved. The sprint is built in the dataset's
 * largest organization: 500 tasks ending in it, 50 of them added mid-way, 50 re-estimated,
 * 400 done on spread-out days, and 20 more that were in it and left (they are in the
 * history, not in the list). Target: the SELECT under 50 ms at the median.
 *
 *   npx tsx bench/sprint-burndown.ts [--tasks 1000000] [--seconds 20] [--keep]
 */
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../src/db/connection.js';
import { type Tx, withTenant } from '../src/db/tenant-context.js';
import { burndownDays } from '../src/features/sprint-reports/repository.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { pairedRatio, round, summarize } from './support/stats.js';
import { type OrgTarget, findTargets } from './support/targets.js';

const TARGET_MS = 50;
const SPRINT_NAME = 'bench: burndown';
const FROM = '2026-03-02';
const TO = '2026-03-15';

export async function runSprintBurndown(dataset: Dataset, flags: Pick<BenchFlags, 'seconds'>) {
  const db = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 });
  try {
    const [target] = await findTargets(db, ['largest']);
    if (!target) throw new Error('no organization to aim at');
    await recordUnrecordedTasks(db);
    const sprintId = await createBenchSprint(db, target);
    try {
      return await measure(dataset, db, target, sprintId, flags);
    } finally {
      await removeBenchSprint(db, target, sprintId);
    }
  } finally {
    await db.close();
  }
}

async function measure(dataset: Dataset, db: Database, target: OrgTarget, sprintId: string, flags: Pick<BenchFlags, 'seconds'>) {
  const history = await db.query<{ tasks: number; states: number; all_states: number }>(
    `select count(distinct task_id)::int as tasks, count(*)::int as states,
            (select count(*)::int from task_sprint_states) as all_states
       from task_sprint_states
      where task_id in (select task_id from task_sprint_states where organization_id = $1 and sprint_id = $2)`,
    [target.organizationId, sprintId],
  );
  const inTenant = <T>(work: (tx: Tx) => Promise<T>) => withTenant(db, { organizationId: target.organizationId }, work);
  const listed = await inTenant((tx) => listSprintTasks(tx, target.organizationId, sprintId));
  const days = await inTenant((tx) => burndownDays(tx, target.organizationId, sprintId, FROM, TO));
  if (listed.length !== 500 || days.length !== 14) throw new Error(`expected 500 tasks and 14 days, got ${listed.length} and ${days.length}`);

  const variant = (name: string, query: (tx: Tx) => Promise<unknown>) => ({
    name,
    run: async () => {
      let statement = 0;
      const transaction = await timed(() => inTenant(async (tx) => {
        statement = await timed(() => query(tx));
      }));
      return { query: statement, transaction };
    },
  });
  const { samples, rounds } = await interleave(
    [
      variant('burndown', (tx) => burndownDays(tx, target.organizationId, sprintId, FROM, TO)),
      variant('list', (tx) => listSprintTasks(tx, target.organizationId, sprintId)),
    ],
    { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
  );
  const metric = (variant: string, name: string) => samples[variant]?.[name] ?? [];
  const compare = (name: string) => ({
    burndown: summarize(metric('burndown', name)),
    list: summarize(metric('list', name)),
    ratio: pairedRatio(metric('burndown', name), metric('list', name)),
  });
  const query_ms = compare('query');
  const transaction_ms = compare('transaction');
  const withinTarget = query_ms.burndown.p50 < TARGET_MS;
  printTable(`Sprint burndown on ${dataset.size.tasks.toLocaleString('en-US')} tasks (ms; ratio = median of paired burndown/list)`, [
    ['measure', 'rounds', 'burndown p50', 'burndown p95', 'list p50', 'list p95', 'ratio'],
    ...([['SELECT', query_ms], ['transaction', transaction_ms]] as const).map(([name, c]) => [
      name, rounds, c.burndown.p50, c.burndown.p95, c.list.p50, c.list.p95, round(c.ratio),
    ]),
  ]);
  log(withinTarget ? `burndown SELECT median under ${TARGET_MS} ms` : `burndown SELECT median over ${TARGET_MS} ms`);
  const file = await writeResult('sprint-burndown', {
    dataset: { name: dataset.name, ...dataset.size },
    organization: { slug: target.slug, tasks: target.tasks },
    sprint: { days: days.length, listedTasks: listed.length, ...history[0] },
    method:
      'interleaved rounds (burndown, list, then reversed …) on one connection as tenantry_app with RLS forced, prepared statements; ' +
      'query is the SELECT alone, transaction adds BEGIN, set_config and COMMIT; ratio is the median of per-round burndown/list ratios',
    targetMs: TARGET_MS,
    withinTarget,
    rounds,
    query_ms,
    transaction_ms,
  });
  log(`wrote ${file}`);
  return { query_ms, withinTarget };
}

/** The plain list: the sprint's live tasks with their columns, as a board would fetch them. */
function listSprintTasks(tx: Tx, organizationId: string, sprintId: string) {
  return tx.execute(sql`
    select id, number, title, status, priority, story_points, assignee_id, position, updated_at
      from tasks
     where organization_id = ${organizationId} and sprint_id = ${sprintId} and deleted_at is null
     order by position collate "C"`).then((result) => (result as { rows: unknown[] }).rows);
}

/**
 * The scale seed loads with triggers off, so a dataset loaded after migration 0012 has no
 * task_sprint_states; give every task without one its current state, as 0012's backfill does
 * for older data, so the table has a realistic size. Triggers off here too: no audit rows.
 */
async function recordUnrecordedTasks(db: Database): Promise<void> {
  await db.session(async (session) => {
    await session.query('begin');
    await session.query('set local session_replication_role = replica');
    await session.query(
      `insert into task_sprint_states (organization_id, task_id, sprint_id, status, story_points, deleted, valid_from)
       select t.organization_id, t.id, t.sprint_id, t.status, t.story_points, t.deleted_at is not null, t.created_at
         from tasks t
        where not exists (select from task_sprint_states s where s.organization_id = t.organization_id and s.task_id = t.id)`,
    );
    await session.query('commit');
  });
}

/** Removed again after measuring: a kept dataset is reused only while it holds exactly the seed's tasks. */
async function removeBenchSprint(db: Database, target: OrgTarget, sprintId: string): Promise<void> {
  await db.query(`delete from tasks where organization_id = $1 and title like 'bench burndown task %'`, [target.organizationId]);
  await db.query(`delete from sprints where organization_id = $1 and id = $2`, [target.organizationId, sprintId]);
}

/**
 * The sprint and its history. Built as the connecting superuser: the tasks' own triggers fire
 * (numbers, positions, audit), and their states are then replaced by a hand-made history,
 * spread over the sprint's days.
 */
async function createBenchSprint(db: Database, target: OrgTarget): Promise<string> {
  return db.session(async (session) => {
    await session.query('begin');
    const [sprint] = await session.query<{ id: string }>(
      `insert into sprints (organization_id, project_id, name, start_date, end_date, status, completed_at)
       values ($1, $2, $3, $4, $5, 'completed', ($5::date + 1)::timestamp at time zone 'UTC') returning id`,
      [target.organizationId, target.projectId, SPRINT_NAME, FROM, TO],
    );
    if (!sprint) throw new Error('the bench sprint was not created');
    // n 1–500 end in the sprint, 501–520 leave it; the numbers pick each task's story.
    await session.query(
      `insert into tasks (organization_id, project_id, title, sprint_id, story_points, status, completed_at)
       select $1, $2, 'bench burndown task ' || n, case when n <= 500 then $3::uuid end, 1 + n % 8,
              case when n <= 500 and n % 5 <> 0 then 'done' else 'todo' end,
              case when n <= 500 and n % 5 <> 0 then now() end
         from generate_series(1, 520) n`,
      [target.organizationId, target.projectId, sprint.id],
    );
    await session.query(
      `delete from task_sprint_states where organization_id = $1 and task_id in (select id from tasks where organization_id = $1 and title like 'bench burndown task %')`,
      [target.organizationId],
    );
    // Day offsets from the start: every tenth task added on day n % 10, every tenth (from 5)
    // re-estimated on day 3 + n % 9, the other 400 done on day n % 14; 20 left on day 4 + n % 8.
    await session.query(
      `with bench as (
         select id, substring(title from '[0-9]+$')::int as n from tasks
          where organization_id = $1 and title like 'bench burndown task %'
       ),
       states (task_id, sprint_id, status, story_points, valid_from) as (
         select id, case when n % 10 = 0 and n <= 500 then null else $2::uuid end, 'todo', 1 + n % 8, $3::timestamptz - interval '2 days'
           from bench
         union all
         select id, $2::uuid, 'todo', 1 + n % 8, $3::timestamptz + (n % 10) * interval '1 day' + interval '10 hours'
           from bench where n % 10 = 0 and n <= 500
         union all
         select id, $2::uuid, 'todo', 1 + (n + 3) % 8, $3::timestamptz + (3 + n % 9) * interval '1 day' + interval '11 hours'
           from bench where n % 10 = 5 and n <= 500
         union all
         select id, $2::uuid, 'done', 1 + n % 8, $3::timestamptz + (n % 14) * interval '1 day' + interval '15 hours'
           from bench where n <= 500 and n % 5 <> 0
         union all
         select id, null, 'todo', 1 + n % 8, $3::timestamptz + (4 + n % 8) * interval '1 day' + interval '12 hours'
           from bench where n > 500
       )
       insert into task_sprint_states (organization_id, task_id, sprint_id, status, story_points, valid_from)
       select $1, task_id, sprint_id, status, story_points, valid_from from states`,
      [target.organizationId, sprint.id, FROM],
    );
    await session.query('commit');
    return sprint.id;
  });
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    try {
      await runSprintBurndown(dataset, flags);
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}
