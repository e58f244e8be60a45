/**
 * Search in a large tenant: the task list's full-text search (`q`, through
 * app.matching_task_ids) for a common word in the largest tenant's largest project, on one kept
 * benchmark database, through withTenant as the server runs it. Reports p50 and p95 of the
 * SELECT and of its transaction, and how large the project and the match are.
 * Writes bench/results/search.json.
 *
 *   npx tsx bench/search.ts --database tenantry_bench_o1000_t1000000 [--seconds 20]
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { withTenant } from '../src/db/tenant-context.js';
import { isMain, runMain } from './support/args.js';
import { databaseUrl } from './support/datasets.js';
import { hotQueries } from './support/hot-queries.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { summarize } from './support/stats.js';
import { findTargets } from './support/targets.js';

/** The target for a common word in the largest tenant. */
const TARGET_P95_MS = 50;

export async function runSearchBench(name: string, seconds: number) {
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(name) }, { maxConnections: 1 });
  try {
    const [target] = await findTargets(db, ['largest']);
    if (!target) throw new Error('no organization with tasks');
    const search = hotQueries(target).find((query) => query.name === 'tasks.search');
    if (!search) throw new Error('no tasks.search query');
    const [totals] = await db.query<{ tasks: number; matches: number; everywhere: number }>(
      `select (select count(*)::int from tasks) as tasks,
              (select count(*)::int from tasks where organization_id = $1 and project_id = $2 and deleted_at is null
                  and search_vector @@ websearch_to_tsquery('english', $3)) as matches,
              (select count(*)::int from tasks where search_vector @@ websearch_to_tsquery('english', $3)) as everywhere`,
      [target.organizationId, target.projectId, target.searchWord],
    );
    const { samples, rounds } = await interleave(
      [
        {
          name: 'search',
          run: async () => {
            let query = 0;
            const transaction = await timed(() =>
              withTenant(db, { organizationId: target.organizationId }, async (tx) => {
                query = await timed(() => search.run(tx));
              }),
            );
            return { query, transaction };
          },
        },
      ],
      { warmupRounds: 10, maxRounds: 5_000, maxSeconds: seconds },
    );
    const query = summarize(samples.search?.query ?? []);
    const transaction = summarize(samples.search?.transaction ?? []);
    printTable(`Search for "${target.searchWord}" in the largest tenant's largest project (${name}; ${rounds} searches)`, [
      ['tasks in the database', 'tasks in the project', 'matches in the project', 'matches in all tenants', 'SELECT p50', 'SELECT p95', 'transaction p95', `target p95 < ${TARGET_P95_MS}`],
      [totals?.tasks ?? 0, target.projectTasks, totals?.matches ?? 0, totals?.everywhere ?? 0, query.p50, query.p95, transaction.p95, query.p95 < TARGET_P95_MS ? 'met' : 'missed'],
    ]);
    const file = await writeResult('search', { database: name, target, totals, query, transaction, targetP95Ms: TARGET_P95_MS });
    log(`wrote ${file}`);
    return { query, transaction };
  } finally {
    await db.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const { values } = parseArgs({ options: { database: { type: 'string' }, seconds: { type: 'string', default: '20' } }, strict: true });
    if (!values.database) throw new Error('--database names a kept benchmark database (tenantry_bench_*)');
    await runSearchBench(values.database, Number(values.seconds));
  });
}
