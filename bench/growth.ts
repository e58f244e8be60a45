/**
 * Growth: the hot reads (through withTenant, as the server runs them) on datasets of different
 * sizes, interleaved across the datasets round by round. The organization compared is the one
 * closest to the smallest dataset's median size in each dataset, so the tenant stays the same
 * size while the platform grows; the largest organization of each dataset is reported too.
 * Then keyset against OFFSET pagination at deep pages of the largest dataset's largest tenant.
 * Writes bench/results/growth.json and the chart bench/results/latency-vs-size.svg.
 *
 *   npx tsx bench/growth.ts [--sizes 100000,1000000] [--seconds 20] [--keep]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, openDatabase } from '../src/db/connection.js';
import { type Tx, withTenant } from '../src/db/tenant-context.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { deepPages } from './support/deep-pages.js';
import { hotQueries } from './support/hot-queries.js';
import { type Variant, interleave, timed } from './support/interleave.js';
import { RESULTS_DIR, describeMachine, log, printTable, writeResult } from './support/report.js';
import { type Summary, pairedRatio, round, summarize } from './support/stats.js';
import { latencyChart } from './support/svg.js';
import { type OrgTarget, findTargets } from './support/targets.js';

/** p95 at the largest size may be at most this multiple of p95 at the smallest. */
const TARGET_GROWTH = 1.3;

export type GrowthPoint = { tasks: number; organization: string; organizationTasks: number; query: Summary; transaction: Summary };
export type GrowthSeries = { tenant: 'typical' | 'largest'; query: string; points: GrowthPoint[]; p95Growth: number };
export type PaginationRow = { listing: string; page: number; rowsBefore: number; keyset: Summary; offset: Summary; offsetOverKeyset: number };
export type GrowthResult = { series: GrowthSeries[]; pagination: PaginationRow[]; withinTarget: boolean };

export async function runGrowth(datasets: Dataset[], flags: Pick<BenchFlags, 'seconds'>): Promise<GrowthResult> {
  const sorted = [...datasets].sort((a, b) => a.size.tasks - b.size.tasks);
  const smallest = sorted[0];
  const largest = sorted.at(-1);
  if (!smallest || !largest) throw new Error('growth needs at least one dataset');
  const dbs = await Promise.all(sorted.map((dataset) => openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 })));
  try {
    const firstDb = dbs[0];
    const lastDb = dbs.at(-1);
    if (!firstDb || !lastDb) throw new Error('no database open');
    const [median] = await findTargets(firstDb, ['median']);
    if (!median) throw new Error('no median organization');
    const typical = await Promise.all(dbs.map(async (db) => (await findTargets(db, [{ near: median.tasks }]))[0]));
    const biggest = await Promise.all(dbs.map(async (db) => (await findTargets(db, ['largest']))[0]));

    const series: GrowthSeries[] = [];
    for (const [tenant, targets] of [['typical', typical], ['largest', biggest]] as const) {
      const perSize = targets.map((target) => {
        if (!target) throw new Error('missing target organization');
        return { target, queries: hotQueries(target) };
      });
      const queryNames = perSize[0]?.queries.map((query) => query.name) ?? [];
      for (const name of queryNames) {
        const variants: Variant[] = perSize.map(({ target, queries }, index) => {
          const query = queries.find((q) => q.name === name);
          const db = dbs[index];
          if (!query || !db) throw new Error(`no ${name} for dataset ${index}`);
          return { name: String(index), run: () => measure(db, target, query.run) };
        });
        const { samples } = await interleave(variants, { warmupRounds: 10, maxRounds: 2_000, maxSeconds: flags.seconds });
        const points = perSize.map(({ target }, index) => ({
          tasks: sorted[index]?.size.tasks ?? 0,
          organization: target.slug,
          organizationTasks: target.tasks,
          query: summarize(samples[String(index)]?.query ?? []),
          transaction: summarize(samples[String(index)]?.transaction ?? []),
        }));
        const first = points[0];
        const last = points.at(-1);
        series.push({ tenant, query: name, points, p95Growth: first && last ? round(last.query.p95 / first.query.p95) : Number.NaN });
      }
    }

    const pagination = await comparePagination(lastDb, biggest.at(-1), flags.seconds);
    const withinTarget = series.filter((s) => s.tenant === 'typical').every((s) => s.p95Growth <= TARGET_GROWTH);

    const sizes = sorted.map((dataset) => dataset.size.tasks);
    printTable(`Growth: SELECT latency (ms) by dataset size; p95 growth = p95 at ${largest.size.tasks.toLocaleString('en-US')} / p95 at ${smallest.size.tasks.toLocaleString('en-US')} (target ≤ ${TARGET_GROWTH} for the typical tenant)`, [
      ['tenant', 'query', ...sizes.flatMap((size) => [`${short(size)} org tasks`, `${short(size)} p50`, `${short(size)} p95`]), 'p95 growth'],
      ...series.map((s) => [s.tenant, s.query, ...s.points.flatMap((p) => [p.organizationTasks, p.query.p50, p.query.p95]), s.p95Growth]),
    ]);
    printTable(`Keyset vs OFFSET at deep pages (${largest.size.tasks.toLocaleString('en-US')} tasks, largest tenant; median ms)`, [
      ['listing', 'page', 'rows skipped', 'keyset p50', 'offset p50', 'offset / keyset'],
      ...pagination.map((row) => [row.listing, row.page, row.rowsBefore, row.keyset.p50, row.offset.p50, row.offsetOverKeyset]),
    ]);
    log(withinTarget ? `typical tenant: p95 growth within ${TARGET_GROWTH}×` : `typical tenant: some p95 grew more than ${TARGET_GROWTH}×`);
    const file = await writeResult('growth', {
      datasets: sorted.map((dataset) => ({ name: dataset.name, ...dataset.size })),
      method: 'withTenant transactions on one connection per dataset, datasets interleaved round by round; "query" is the SELECT alone',
      targetGrowth: TARGET_GROWTH,
      withinTarget,
      series,
      pagination,
    });
    log(`wrote ${file}`);
    const machine = await describeMachine();
    const chart = join(RESULTS_DIR, 'latency-vs-size.svg');
    writeFileSync(chart, latencyChart(series, `${machine.cpus} CPUs, PostgreSQL ${machine.postgres}, ${machine.date.slice(0, 10)}; withTenant, one connection`));
    log(`wrote ${chart}`);
    return { series, pagination, withinTarget };
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
}

async function measure(db: Database, target: OrgTarget, run: (tx: Tx) => Promise<unknown>): Promise<Record<string, number>> {
  let query = 0;
  const transaction = await timed(() =>
    withTenant(db, { organizationId: target.organizationId }, async (tx) => {
      query = await timed(() => run(tx));
    }),
  );
  return { query, transaction };
}

async function comparePagination(db: Database, target: OrgTarget | undefined, seconds: number): Promise<PaginationRow[]> {
  if (!target) return [];
  const rows: PaginationRow[] = [];
  for (const page of await deepPages(db, target)) {
    const variant = (name: string, run: (tx: Tx) => Promise<unknown[]>): Variant => ({ name, run: () => measure(db, target, run) });
    const { samples } = await interleave([variant('keyset', page.keyset), variant('offset', page.offset)], {
      warmupRounds: 5,
      maxRounds: 1_000,
      maxSeconds: seconds / 2,
    });
    const keyset = samples.keyset?.query ?? [];
    const offset = samples.offset?.query ?? [];
    rows.push({
      listing: page.listing,
      page: page.page,
      rowsBefore: page.rowsBefore,
      keyset: summarize(keyset),
      offset: summarize(offset),
      offsetOverKeyset: round(pairedRatio(offset, keyset)),
    });
  }
  return rows;
}

function short(tasks: number): string {
  return tasks >= 1_000_000 ? `${tasks / 1_000_000}M` : `${tasks / 1_000}k`;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const datasets: Dataset[] = [];
    try {
      for (const tasks of flags.sizes) datasets.push(await ensureDataset(sizeForTasks(tasks), log));
      await runGrowth(datasets, flags);
    } finally {
      if (!flags.keep) for (const dataset of datasets) await dropBenchDatabase(dataset.name);
    }
  });
}
