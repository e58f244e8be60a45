/**
 * Embedded against server (informational): the same scale seed (same rows, ids included) in an
 * in-memory PGlite and in a PostgreSQL database, then the hot reads through withTenant on each,
 * interleaved. PGlite runs in this process (WebAssembly, one connection); PostgreSQL is across
 * loopback. A smaller dataset, because PGlite loads it in process.
 *
 *   npx tsx bench/embedded-vs-server.ts [--embedded-tasks 20000] [--seconds 20]
 */
import { type Database, openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator/runner.js';
import { withTenant } from '../src/db/tenant-context.js';
import { seedScale } from '../src/seed/scale/seed-scale.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { DATASET_SEED, dropBenchDatabase, freshDatabase, sizeForTasks } from './support/datasets.js';
import { hotQueries } from './support/hot-queries.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { type Summary, pairedRatio, round, summarize } from './support/stats.js';
import { type OrgTarget, findTargets } from './support/targets.js';

/** Both engines get the same rows only if they are generated as of the same day. */
const AS_OF = new Date('2026-01-01T00:00:00Z');
const DATABASE = 'tenantry_bench_embedded';

export type EngineRow = { organization: string; query: string; rounds: number; pglite: Summary; postgres: Summary; pgliteOverPostgres: number };

export async function runEmbeddedVsServer(flags: Pick<BenchFlags, 'embeddedTasks' | 'seconds'>): Promise<{ rows: EngineRow[]; loadSeconds: { pglite: number; postgres: number } }> {
  const size = sizeForTasks(flags.embeddedTasks);
  const lite = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  let server: Database | undefined;
  try {
    await migrate(lite);
    const liteLoad = await timed(() => seedScale(lite, { ...size, seed: DATASET_SEED, asOf: AS_OF }));
    log(`PGlite: ${size.tasks.toLocaleString('en-US')} tasks loaded in ${(liteLoad / 1000).toFixed(1)} s`);
    const fresh = await freshDatabase(DATABASE);
    server = fresh.db;
    const serverLoad = await timed(() => seedScale(fresh.db, { ...size, seed: DATASET_SEED, asOf: AS_OF }));
    log(`PostgreSQL: ${size.tasks.toLocaleString('en-US')} tasks loaded in ${(serverLoad / 1000).toFixed(1)} s`);

    const rows: EngineRow[] = [];
    const liteTargets = await findTargets(lite, ['largest', 'median']);
    const serverTargets = await findTargets(server, ['largest', 'median']);
    for (const [index, liteTarget] of liteTargets.entries()) {
      const serverTarget = serverTargets[index];
      if (!serverTarget || serverTarget.organizationId !== liteTarget.organizationId) throw new Error('the engines hold different data');
      const liteQueries = hotQueries(liteTarget);
      const serverQueries = hotQueries(serverTarget);
      for (const [q, liteQuery] of liteQueries.entries()) {
        const serverQuery = serverQueries[q];
        if (!serverQuery) throw new Error('query lists differ');
        const db = server;
        const { samples, rounds } = await interleave(
          [
            { name: 'pglite', run: async () => ({ ms: await inTenant(lite, liteTarget, liteQuery.run) }) },
            { name: 'postgres', run: async () => ({ ms: await inTenant(db, serverTarget, serverQuery.run) }) },
          ],
          { warmupRounds: 10, maxRounds: 2_000, maxSeconds: flags.seconds / 2 },
        );
        const pglite = samples.pglite?.ms ?? [];
        const postgres = samples.postgres?.ms ?? [];
        rows.push({
          organization: `${liteTarget.label} (${liteTarget.tasks} tasks)`,
          query: liteQuery.name,
          rounds,
          pglite: summarize(pglite),
          postgres: summarize(postgres),
          pgliteOverPostgres: round(pairedRatio(pglite, postgres)),
        });
      }
    }
    printTable(`Embedded (PGlite, in process) vs PostgreSQL (loopback): withTenant transaction, ms (${size.tasks.toLocaleString('en-US')} tasks)`, [
      ['organization', 'query', 'rounds', 'pglite p50', 'pglite p95', 'postgres p50', 'postgres p95', 'pglite / postgres'],
      ...rows.map((row) => [row.organization, row.query, row.rounds, row.pglite.p50, row.pglite.p95, row.postgres.p50, row.postgres.p95, row.pgliteOverPostgres]),
    ]);
    const loadSeconds = { pglite: round(liteLoad / 1000), postgres: round(serverLoad / 1000) };
    const file = await writeResult('embedded-vs-server', {
      dataset: { ...size, seed: DATASET_SEED, asOf: AS_OF.toISOString().slice(0, 10) },
      method: 'the whole withTenant transaction (BEGIN, set_config, SELECT, COMMIT), engines interleaved; informational',
      loadSeconds,
      rows,
    });
    log(`wrote ${file}`);
    return { rows, loadSeconds };
  } finally {
    await lite.close();
    await server?.close();
    await dropBenchDatabase(DATABASE);
  }
}

async function inTenant(db: Database, target: OrgTarget, run: Parameters<typeof withTenant>[2]): Promise<number> {
  return timed(() => withTenant(db, { organizationId: target.organizationId }, run));
}

if (isMain(import.meta.url)) {
  runMain(() => runEmbeddedVsServer(parseFlags()));
}
