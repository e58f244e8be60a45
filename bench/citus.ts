/**
 * Citus against one PostgreSQL: the transactions behind the hot requests (get a task, list 50,
 * search, create a task), through withTenant as the services run them, on a throwaway Citus
 * cluster (a coordinator and two workers, 4 shards per table: test/support/citus-cluster.ts) and
 * on a throwaway single PostgreSQL with the same binaries and settings, both on the demo seed.
 * The two run side by side, alternating (bench/support/interleave.ts); the ratio is the median
 * of per-round citus / single. Shards touched: every statement a request sent, EXPLAINed on the
 * cluster in the request's own context, summing Citus's "Task Count" (what a function the
 * statement calls does on a shard, as search's app.matching_task_page does, is not counted).
 * Small sizes: all nodes share this machine's cores, so this measures the cost of the extra hop
 * and the planning, not what more machines would add.
 *
 *   npx tsx bench/citus.ts [--seconds 20]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULT_REFERENCE_LIMITS, distribute } from '../src/citus/index.js';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { ensureDatabaseExists } from '../src/db/admin.js';
import { type Database, openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator/runner.js';
import { ROLES } from '../src/db/roles.js';
import { contextStatements, withTenant } from '../src/db/tenant-context.js';
import * as tasks from '../src/features/tasks/repository.js';
import { CreateTaskBody } from '../src/features/tasks/schemas.js';
import { seedDemo } from '../src/seed/demo.js';
import { startCitusCluster } from '../test/support/citus-cluster.js';
import { startThrowawayCluster } from '../test/support/throwaway-cluster.js';
import { isMain, runMain } from './support/args.js';
import { hotQueries } from './support/hot-queries.js';
import { interleave, timed } from './support/interleave.js';
import { recordQueries } from './support/query-counter.js';
import { log, printTable, writeResult } from './support/report.js';
import { median, pairedRatio, round } from './support/stats.js';
import { type OrgTarget, findTargets } from './support/targets.js';

const DATABASE = 'tenantry_bench_citus';
const REQUESTS = ['tasks.get', 'tasks.list', 'tasks.search', 'tasks.create'] as const;
type RequestName = (typeof REQUESTS)[number];

type Side = { name: 'citus' | 'single'; url: string; db: Database; target: OrgTarget; userId: string; destroy(): Promise<void> };

async function startSide(name: Side['name']): Promise<Side> {
  let url: string;
  let stop: () => Promise<void>;
  if (name === 'citus') {
    const cluster = await startCitusCluster();
    url = await cluster.createDatabase(DATABASE);
    stop = () => cluster.destroy();
  } else {
    const node = await startThrowawayCluster({ settings: { max_connections: '150' } });
    url = node.urlFor(DATABASE);
    await ensureDatabaseExists(url);
    stop = () => node.destroy();
  }
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 2 });
  await migrate(db);
  await seedDemo(db, { production: false, masterKey: generateMasterKey() });
  if (name === 'citus') {
    const outcome = await distribute(db, { dryRun: false, limits: DEFAULT_REFERENCE_LIMITS });
    if (outcome.status !== 'distributed') throw new Error(`db distribute ended ${outcome.status}`);
  }
  const [target] = await findTargets(db, ['largest']);
  if (!target) throw new Error('the demo seed has tasks');
  const [owner] = await db.query<{ user_id: string }>("select user_id::text from members where organization_id = $1 and role = 'owner'", [
    target.organizationId,
  ]);
  return {
    name,
    url,
    db,
    target,
    userId: owner?.user_id ?? '',
    destroy: async () => {
      await db.close();
      await stop();
    },
  };
}

/** One request's transaction, as its service runs it. */
function requestOf(side: Side, name: RequestName): () => Promise<unknown> {
  const { db, target, userId } = side;
  const context = { organizationId: target.organizationId, userId };
  if (name === 'tasks.create') {
    const input = CreateTaskBody.parse({ title: 'bench: created on the hot path' });
    return () =>
      withTenant(db, context, async (tx) => {
        await tasks.findProject(tx, target.organizationId, target.projectId);
        return tasks.insertTasks(tx, target.organizationId, target.projectId, userId, [input]);
      });
  }
  const query = hotQueries(target).find((hot) => hot.name === name);
  if (!query) throw new Error(`no hot query ${name}`);
  return () => withTenant(db, context, (tx) => query.run(tx));
}

/** The shards each statement of one request was sent to, from EXPLAIN on the cluster, in the request's context. */
async function shardsTouched(side: Side, request: () => Promise<unknown>): Promise<number[]> {
  const sent = await recordQueries(request);
  const statements = sent.filter((statement) => !/^\s*(begin|commit|rollback|set\s)/i.test(statement.text));
  const client = new pg.Client({ connectionString: side.url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(contextStatements(ROLES.app, { organizationId: side.target.organizationId, userId: side.userId }).join('; '));
    const counts: number[] = [];
    for (const statement of statements) {
      await client.query('savepoint explained');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${statement.text}`, statement.values).catch((error: unknown) => {
        log(`could not EXPLAIN (${String(error)}): ${statement.text.slice(0, 120)}`);
        return { rows: [{ 'QUERY PLAN': 'Task Count: NaN' }] };
      });
      await client.query('rollback to savepoint explained');
      const tasksSent = plan.rows.map((row) => row['QUERY PLAN'].match(/Task Count: (\d+|NaN)/)?.[1]).filter(Boolean);
      counts.push(tasksSent.reduce((sum, count) => sum + Number(count), 0));
    }
    return counts;
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

export async function runCitusBench(seconds: number) {
  const sides: Side[] = [];
  try {
    for (const name of ['citus', 'single'] as const) {
      log(`starting ${name}: create, migrate, seed${name === 'citus' ? ', distribute' : ''}`);
      sides.push(await startSide(name));
    }
    const [citus, single] = sides as [Side, Side];
    const [size] = await single.db.query<{ tasks: number; organizations: number }>(
      'select (select count(*)::int from tasks) as tasks, (select count(*)::int from organizations) as organizations',
    );
    const shards = new Map<RequestName, number[]>();
    for (const name of REQUESTS) shards.set(name, await shardsTouched(citus, requestOf(citus, name)));

    const variants = sides.flatMap((side) =>
      REQUESTS.map((name) => {
        const request = requestOf(side, name);
        return { name: `${side.name}:${name}`, run: async () => ({ ms: await timed(request) }) };
      }),
    );
    const { samples, rounds } = await interleave(variants, { warmupRounds: 5, maxRounds: 5_000, maxSeconds: seconds });
    const rows = REQUESTS.map((name) => {
      const onCitus = samples[`citus:${name}`]?.ms ?? [];
      const onSingle = samples[`single:${name}`]?.ms ?? [];
      const perStatement = shards.get(name) ?? [];
      return {
        request: name,
        singleMs: round(median(onSingle)),
        citusMs: round(median(onCitus)),
        ratio: round(pairedRatio(onCitus, onSingle)),
        shardsPerStatement: perStatement,
        shardsTouched: perStatement.reduce((sum, count) => sum + count, 0),
      };
    });
    printTable(
      `Citus (coordinator + 2 workers, 4 shards) vs one PostgreSQL, demo seed (${size?.organizations} organizations, ${size?.tasks} tasks), ${rounds} rounds, medians`,
      [
        ['request', 'single ms', 'citus ms', 'citus / single', 'shards per statement', 'shards touched'],
        ...rows.map((row) => [row.request, row.singleMs, row.citusMs, row.ratio, row.shardsPerStatement.join(' + ') || '—', row.shardsTouched]),
      ],
    );
    const file = await writeResult('citus', { seconds, rounds, size, target: { tasks: citus.target.tasks, projectTasks: citus.target.projectTasks }, rows });
    log(`wrote ${file}`);
    return rows;
  } finally {
    for (const side of sides) await side.destroy().catch(() => undefined);
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } }, strict: true });
    await runCitusBench(Number(values.seconds));
  });
}
