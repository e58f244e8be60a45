/**
 * Search in a large tenant: the task list's full-text search (`q`, through
 * app.matching_task_ids) for a common word in the largest tenant's largest project, on one kept
 * benchmark database, through withTenant as the server runs it. Reports p50 and p95 of the
 * SELECT and of its transaction, and how large the project and the match are. With
 * `--with-status` the same search with a status filter as well (the project's most common open
 * status) is measured too, interleaved with the plain one.
 * Writes bench/results/search.json.
 *
 *   npx tsx bench/search.ts --database tenantry_bench_o1000_t1000000 [--seconds 20] [--with-status]
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { type Tx, withTenant } from '../src/db/tenant-context.js';
import { listTasks } from '../src/features/tasks/repository.js';
import { orderOf } from '../src/features/tasks/sort.js';
import { isMain, runMain } from './support/args.js';
import { databaseUrl } from './support/datasets.js';
import { hotQueries } from './support/hot-queries.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { summarize } from './support/stats.js';
import { findTargets } from './support/targets.js';

/** The target for a common word in the largest tenant. */
const TARGET_P95_MS = 50;

export async function runSearchBench(name: string, seconds: number, withStatus = false) {
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(name) }, { maxConnections: 1 });
  try {
    const [target] = await findTargets(db, ['largest']);
    if (!target) throw new Error('no organization with tasks');
    const search = hotQueries(target).find((query) => query.name === 'tasks.search');
    if (!search) throw new Error('no tasks.search query');
    const [totals] = await db.query<{ tasks: number; matches: number; everywhere: number; statusMatches: number }>(
      `select (select count(*)::int from tasks) as tasks,
              (select count(*)::int from tasks where organization_id = $1 and project_id = $2 and deleted_at is null
                  and search_vector @@ websearch_to_tsquery('english', $3)) as matches,
              (select count(*)::int from tasks where search_vector @@ websearch_to_tsquery('english', $3)) as everywhere,
              (select count(*)::int from tasks where organization_id = $1 and project_id = $2 and deleted_at is null
                  and search_vector @@ websearch_to_tsquery('english', $3) and status = $4) as "statusMatches"`,
      [target.organizationId, target.projectId, target.searchWord, target.status],
    );
    const withStatusFilter = (tx: Tx) =>
      listTasks(tx, target.organizationId, {
        projectIds: [target.projectId], statuses: [target.status], search: { projectId: target.projectId, query: target.searchWord },
        order: orderOf('position', true), after: null, limit: 50,
      });
    const measured = (run: (tx: Tx) => Promise<unknown>) => async () => {
      let query = 0;
      const transaction = await timed(() =>
        withTenant(db, { organizationId: target.organizationId }, async (tx) => {
          query = await timed(() => run(tx));
        }),
      );
      return { query, transaction };
    };
    const { samples, rounds } = await interleave(
      [{ name: 'search', run: measured(search.run) }, ...(withStatus ? [{ name: 'search+status', run: measured(withStatusFilter) }] : [])],
      { warmupRounds: 10, maxRounds: 5_000, maxSeconds: seconds },
    );
    const filtered = withStatus
      ? { status: target.status, query: summarize(samples['search+status']?.query ?? []), transaction: summarize(samples['search+status']?.transaction ?? []) }
      : undefined;
    if (filtered) {
      printTable(`The same search with status=${target.status} (${totals?.statusMatches ?? 0} matches in the project)`, [
        ['SELECT p50', 'SELECT p95', 'transaction p95', `target p95 < ${TARGET_P95_MS}`],
        [filtered.query.p50, filtered.query.p95, filtered.transaction.p95, filtered.query.p95 < TARGET_P95_MS ? 'met' : 'missed'],
      ]);
    }
    const query = summarize(samples.search?.query ?? []);
    const transaction = summarize(samples.search?.transaction ?? []);
    printTable(`Search for "${target.searchWord}" in the largest tenant's largest project (${name}; ${rounds} searches)`, [
      ['tasks in the database', 'tasks in the project', 'matches in the project', 'matches in all tenants', 'SELECT p50', 'SELECT p95', 'transaction p95', `target p95 < ${TARGET_P95_MS}`],
      [totals?.tasks ?? 0, target.projectTasks, totals?.matches ?? 0, totals?.everywhere ?? 0, query.p50, query.p95, transaction.p95, query.p95 < TARGET_P95_MS ? 'met' : 'missed'],
    ]);
    const file = await writeResult('search', { database: name, target, totals, query, transaction, withStatus: filtered, targetP95Ms: TARGET_P95_MS });
    log(`wrote ${file}`);
    return { query, transaction };
  } finally {
    await db.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const { values } = parseArgs({
      options: { database: { type: 'string' }, seconds: { type: 'string', default: '20' }, 'with-status': { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.database) throw new Error('--database names a kept benchmark database (tenantry_bench_*)');
    await runSearchBench(values.database, Number(values.seconds), values['with-status']);
  });
}
