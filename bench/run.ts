/**
 * Runs the benchmarks, prints each table, writes bench/results/*.json and the chart
 * bench/results/latency-vs-size.svg. Datasets are loaded once and shared; they are dropped at
 * the end unless --keep (the next run then reuses them).
 *
 *   npm run bench                                     # rls, api, growth, bulk, embedded at the default sizes
 *   npm run bench -- --only rls,growth --sizes 100000,1000000 --tasks 1000000 --keep
 *   npm run bench -- --only soak --soak-seconds 180 --rate 100
 *
 * Flags: --tasks N (main dataset), --sizes a,b,… (growth), --seconds S (per comparison),
 * --connections C --duration D (HTTP and pgbench), --bulk-tasks N --rounds R --ops-rounds R
 * (bulk), --embedded-tasks N, --soak-seconds S --rate R, --keep.
 */
import { runApiVsDb } from './api-vs-db.js';
import { runBulk } from './bulk.js';
import { runEmbeddedVsServer } from './embedded-vs-server.js';
import { runGrowth } from './growth.js';
import { runRlsOverhead } from './rls-overhead.js';
import { runSoak } from './soak.js';
import { parseFlags, runMain } from './support/args.js';
import { type Dataset, databaseBytes, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { describeMachine, log, writeResult } from './support/report.js';

const BENCHMARKS = ['rls', 'api', 'growth', 'bulk', 'embedded', 'soak'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
const DEFAULT_SET: readonly Benchmark[] = ['rls', 'api', 'growth', 'bulk', 'embedded'];

runMain(async () => {
  const flags = parseFlags();
  const unknown = flags.only.filter((name) => !BENCHMARKS.some((known) => known === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
  const selected = flags.only.length > 0 ? BENCHMARKS.filter((name) => flags.only.includes(name)) : DEFAULT_SET;
  const machine = await describeMachine();
  log(`Tenantry benchmarks: ${selected.join(', ')} — ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, Node ${machine.node}`);

  const datasets = new Map<string, Dataset>();
  const dataset = async (tasks: number): Promise<Dataset> => {
    const size = sizeForTasks(tasks);
    const key = `${size.organizations}/${size.tasks}`;
    const known = datasets.get(key);
    if (known) return known;
    const loaded = await ensureDataset(size, log);
    datasets.set(key, loaded);
    return loaded;
  };

  const headline: Record<string, unknown> = {};
  const started = performance.now();
  try {
    for (const name of selected) {
      log(`\n=== ${name} ===`);
      if (name === 'rls') {
        const result = await runRlsOverhead(await dataset(flags.tasks), flags);
        headline.rls = result.rows.map((row) => ({ organization: row.organization, query: row.query, ratio: row.query_ms.ratio, transactionRatio: row.transaction_ms.ratio }));
      } else if (name === 'api') {
        const result = await runApiVsDb(await dataset(flags.tasks), flags);
        headline.api = result.endpoints.map((row) => ({ endpoint: row.endpoint, httpRps: row.median.httpRps, pgbenchTps: row.median.pgbenchTps, ratio: row.ratio, roundTrips: row.roundTripsUnderLoad }));
      } else if (name === 'growth') {
        const sets: Dataset[] = [];
        for (const tasks of flags.sizes) sets.push(await dataset(tasks));
        const result = await runGrowth(sets, flags);
        headline.growth = result.series.map((s) => ({ tenant: s.tenant, query: s.query, p95Growth: s.p95Growth }));
      } else if (name === 'bulk') {
        const result = await runBulk(await dataset(flags.tasks), flags);
        headline.bulk = { seedOverRaw: result.seeding.seedOverRaw, operations: result.operations.map((op) => ({ operation: op.operation, tenantryOverBare: op.tenantryOverBare })) };
      } else if (name === 'embedded') {
        const result = await runEmbeddedVsServer(flags);
        headline.embedded = result.rows.map((row) => ({ organization: row.organization, query: row.query, pgliteOverPostgres: row.pgliteOverPostgres }));
      } else {
        const result = await runSoak(await dataset(flags.tasks), flags);
        headline.soak = { passed: result.passed, errors: result.errors + result.non2xx + result.timeouts, growth: result.growth };
        if (!result.passed) process.exitCode = 1;
      }
    }
    const loaded = await Promise.all(
      [...datasets.values()].map(async (d) => ({
        name: d.name,
        ...d.size,
        bytes: await databaseBytes(d.url, d.name),
        loadSeconds: d.load.reused ? null : Math.round(d.load.summary.elapsedMs / 1000),
      })),
    );
    const file = await writeResult('summary', { selected, flags, datasets: loaded, minutes: Math.round((performance.now() - started) / 6_000) / 10, headline });
    log(`\nwrote ${file}`);
  } finally {
    if (!flags.keep) for (const d of datasets.values()) await dropBenchDatabase(d.name);
  }
});
