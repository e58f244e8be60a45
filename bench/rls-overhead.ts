/**
 * RLS overhead: the hot reads as the server runs them (withTenant: tenantry_app, RLS forced)
 * against the identical repository queries as the superuser, which bypasses RLS, with the same
 * explicit organization_id filters and the same transaction shape (BEGIN, one set_config
 * statement, the query, COMMIT). Only the role, and so the policies, differ.
 *
 * A third variant acts as tenantry_platform (BYPASSRLS, not a superuser): a superuser also
 * skips every privilege check, so rls / platform is the cost of the policies alone, and
 * platform / superuser the cost of acting as an ordinary role.
 *
 *   npx tsx bench/rls-overhead.ts [--tasks 1000000] [--seconds 20] [--keep]
 */
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../src/db/connection.js';
import { ROLES } from '../src/db/roles.js';
import { type Tx, withTenant } from '../src/db/tenant-context.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { backendCpuReader } from './support/backend-cpu.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { type HotQuery, hotQueries } from './support/hot-queries.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { type Summary, pairedRatio, round, summarize } from './support/stats.js';
import { type OrgTarget, findTargets } from './support/targets.js';

/** DESIGN.md's budget for the policies: at most 5 % on the median. */
const TARGET_RATIO = 1.05;

export type RlsRow = {
  organization: string;
  organizationTasks: number;
  query: string;
  describe: string;
  rounds: number;
  /** The SELECT alone, timed around the statement inside the transaction; ratio is rls / superuser. */
  query_ms: Comparison;
  /** The whole transaction: BEGIN, set_config, SELECT, COMMIT. */
  transaction_ms: Comparison;
  /**
   * The server's CPU per transaction, by variant, from each connection's backend (schedstat):
   * totals over the measured rounds, so the ratios are of means, not paired. Absent when the
   * server's processes cannot be read from here.
   */
  server_cpu_ms?: { rls: number; bypass: number; platform: number; ratio: number; policyRatio: number };
};

type Comparison = {
  rls: Summary;
  bypass: Summary;
  platform: Summary;
  /** rls / superuser (bypass): what the brief's target is about. */
  ratio: number;
  /** rls / tenantry_platform: the policies alone, with privilege checks on both sides. */
  policyRatio: number;
};

export async function runRlsOverhead(dataset: Dataset, flags: Pick<BenchFlags, 'seconds'>): Promise<{ rows: RlsRow[]; withinTarget: boolean }> {
  // A connection per variant, each used one statement at a time. Statements are prepared (as
  // the server prepares them), and PostgreSQL re-plans a prepared statement whose role changed,
  // so variants sharing one connection would each pay for the other's plans.
  const db = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 });
  const asSuperuser = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 });
  const asPlatform = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 });
  try {
    await requireSuperuser(db);
    const targets = await findTargets(db, ['largest', 'median']);
    const cpuReaders = await Promise.all([db, asSuperuser, asPlatform].map(backendCpuReader));
    const rows: RlsRow[] = [];
    for (const target of targets) {
      for (const query of hotQueries(target)) {
        await assertSameResult(db, target, query);
        let cpuAtStart: number[] = [];
        const readCpu = () => Promise.all(cpuReaders.map((read) => (read ? read() : Promise.resolve(Number.NaN))));
        const { samples, rounds } = await interleave(
          [
            { name: 'rls', run: () => underRls(db, target, query) },
            { name: 'bypass', run: () => bypassingRls(asSuperuser, target, query, null) },
            { name: 'platform', run: () => bypassingRls(asPlatform, target, query, ROLES.platform) },
          ],
          { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds, beforeMeasuring: async () => void (cpuAtStart = await readCpu()) },
        );
        const [rlsCpu = Number.NaN, bypassCpu = Number.NaN, platformCpu = Number.NaN] = (await readCpu()).map((ms, index) => (ms - (cpuAtStart[index] ?? Number.NaN)) / rounds);
        const metric = (variant: string, name: string) => samples[variant]?.[name] ?? [];
        const compare = (name: string): Comparison => ({
          rls: summarize(metric('rls', name)),
          bypass: summarize(metric('bypass', name)),
          platform: summarize(metric('platform', name)),
          ratio: pairedRatio(metric('rls', name), metric('bypass', name)),
          policyRatio: pairedRatio(metric('rls', name), metric('platform', name)),
        });
        rows.push({
          organization: `${target.label} (${target.slug})`,
          organizationTasks: target.tasks,
          query: query.name,
          describe: query.describe,
          rounds,
          query_ms: compare('query'),
          transaction_ms: compare('transaction'),
          server_cpu_ms: Number.isNaN(rlsCpu)
            ? undefined
            : { rls: round(rlsCpu), bypass: round(bypassCpu), platform: round(platformCpu), ratio: round(rlsCpu / bypassCpu), policyRatio: round(rlsCpu / platformCpu) },
        });
      }
    }
    const withinTarget = rows.every((row) => row.query_ms.ratio <= TARGET_RATIO);
    printTable(`RLS overhead on ${dataset.size.tasks.toLocaleString('en-US')} tasks (median ms; ratio = median of paired rls/bypass; target ≤ ${TARGET_RATIO})`, [
      ['organization', 'tasks', 'query', 'rounds', 'rls p50', 'superuser p50', 'ratio', 'platform p50', 'rls/platform', 'txn rls p50', 'txn superuser p50', 'txn ratio', 'server CPU rls', 'superuser', 'ratio', 'rls/platform'],
      ...rows.map((row) => [
        row.organization, row.organizationTasks, row.query, row.rounds,
        row.query_ms.rls.p50, row.query_ms.bypass.p50, round(row.query_ms.ratio),
        row.query_ms.platform.p50, round(row.query_ms.policyRatio),
        row.transaction_ms.rls.p50, row.transaction_ms.bypass.p50, round(row.transaction_ms.ratio),
        row.server_cpu_ms?.rls ?? '-', row.server_cpu_ms?.bypass ?? '-', row.server_cpu_ms?.ratio ?? '-', row.server_cpu_ms?.policyRatio ?? '-',
      ]),
    ]);
    log(withinTarget ? `every query within ${TARGET_RATIO}×` : `some queries exceed ${TARGET_RATIO}× (see the ratio column)`);
    const file = await writeResult('rls-overhead', {
      dataset: { name: dataset.name, ...dataset.size },
      method:
        'interleaved rounds (rls, superuser, platform, then reversed …), one connection per variant, prepared statements; ratio is the median of per-round rls/superuser ratios, ' +
        'policyRatio the same against tenantry_platform (BYPASSRLS, privilege checks like tenantry_app)',
      targetRatio: TARGET_RATIO,
      withinTarget,
      rows,
    });
    log(`wrote ${file}`);
    return { rows, withinTarget };
  } finally {
    await Promise.all([db, asSuperuser, asPlatform].map((pool) => pool.close()));
  }
}

async function underRls(db: Database, target: OrgTarget, query: HotQuery): Promise<Record<string, number>> {
  let statement = 0;
  const transaction = await timed(() =>
    withTenant(db, { organizationId: target.organizationId }, async (tx) => {
      statement = await timed(() => query.run(tx));
    }),
  );
  return { query: statement, transaction };
}

/**
 * Past RLS: as the connecting superuser (role null), or as a BYPASSRLS role. The settings are
 * set anyway, in one statement as withTenant does, so every variant sends the same statements.
 */
async function bypassingRls(db: Database, target: OrgTarget, query: HotQuery, role: string | null): Promise<Record<string, number>> {
  let statement = 0;
  const transaction = await timed(() =>
    db.orm.transaction(async (tx) => {
      await setContext(tx, target.organizationId, role);
      statement = await timed(() => query.run(tx));
    }),
  );
  return { query: statement, transaction };
}

async function setContext(tx: Tx, organizationId: string, role: string | null): Promise<void> {
  await tx.execute(sql`select set_config('role', ${role ?? 'none'}, true), set_config('app.organization_id', ${organizationId}, true),
    set_config('app.user_id', '', true), set_config('app.request_id', '', true)`);
}

/** Both sides must read the same rows, or the comparison measures different work. */
async function assertSameResult(db: Database, target: OrgTarget, query: HotQuery): Promise<void> {
  // Fresh rotations so the two runs fetch the same task.
  const [rlsQuery] = hotQueries(target).filter((q) => q.name === query.name);
  const [bypassQuery] = hotQueries(target).filter((q) => q.name === query.name);
  if (!rlsQuery || !bypassQuery) throw new Error(`unknown query ${query.name}`);
  const rls = await withTenant(db, { organizationId: target.organizationId }, (tx) => rlsQuery.run(tx));
  const bypass = await db.orm.transaction(async (tx) => {
    await setContext(tx, target.organizationId, null);
    return bypassQuery.run(tx);
  });
  if (!isDeepStrictEqual(rls, bypass)) throw new Error(`${query.name} for ${target.slug}: RLS and bypass returned different rows`);
  if (Array.isArray(rls) && rls.length === 0) throw new Error(`${query.name} for ${target.slug} returned no rows: the benchmark would measure nothing`);
}

async function requireSuperuser(db: Database): Promise<void> {
  const [me] = await db.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
  if (!me?.rolsuper) throw new Error('the RLS benchmark compares against a superuser (which bypasses RLS); connect as one');
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    try {
      await runRlsOverhead(dataset, flags);
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}
