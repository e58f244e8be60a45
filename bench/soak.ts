/**
 * Soak: the server (child process, loopback) under a fixed request rate over a mix of read
 * endpoints for a bounded time. Every response must be a 2xx, and memory must not grow: the
 * server's RSS and heap (sampled after a full GC every 10 s) in the last third of the run,
 * after a warm-up, are compared with the first third.
 *
 *   npx tsx bench/soak.ts [--tasks 1000000] [--soak-seconds 180] [--rate 100] [--keep]
 */
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/connection.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { log, printTable, writeResult } from './support/report.js';
import { type BenchServer, type BenchUser, type ServerStats, removeMember, signUpMember, startBenchServer } from './support/server-process.js';
import { median, round } from './support/stats.js';
import { findTargets } from './support/targets.js';

const SAMPLE_SECONDS = 10;
/** Samples before this are warm-up (JIT, pools, caches) and not compared. */
const WARMUP_SECONDS = 30;
/** The last third's median may exceed the first third's by at most this factor. */
const MAX_GROWTH = 1.1;

type MemorySample = { second: number } & ServerStats['memory'];

export type SoakResult = {
  seconds: number;
  rate: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  latency: { p50: number; p99: number; max: number };
  samples: MemorySample[];
  growth: { rss: number; heapUsed: number };
  passed: boolean;
};

export async function runSoak(dataset: Dataset, flags: Pick<BenchFlags, 'soakSeconds' | 'rate'>): Promise<SoakResult> {
  const admin = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 });
  let server: BenchServer | undefined;
  let user: BenchUser | undefined;
  try {
    const [target] = await findTargets(admin, ['largest']);
    if (!target) throw new Error('no target organization');
    const running = await startBenchServer(dataset.url);
    server = running;
    // An admin, because the audit log is part of the mix.
    const member = await signUpMember(running.baseUrl, dataset.url, target.organizationId, 'admin');
    user = member;
    const org = `/api/v1/orgs/${target.organizationId}`;
    const project = `${org}/projects/${target.projectId}`;
    // A mix in proportion to how a board is used: mostly single tasks and lists, some search and audit.
    const paths = [
      ...target.taskIds.slice(0, 6).map((id) => `${org}/tasks/${id}`),
      `${project}/tasks?limit=50`,
      `${project}/tasks?limit=50&status=${target.status}`,
      `${project}/tasks?limit=20&q=${encodeURIComponent(target.searchWord)}`,
      `${org}/projects?limit=50`,
      `${org}/members?limit=50`,
      `${org}/audit-logs?limit=50`,
    ];

    const samples: MemorySample[] = [];
    const started = performance.now();
    const sample = async () => {
      const stats = await running.stats();
      samples.push({ second: Math.round((performance.now() - started) / 1000), ...stats.memory });
    };
    await sample();
    let sampling: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      sampling = sampling.then(sample, sample);
    }, SAMPLE_SECONDS * 1000);
    let result: autocannon.Result;
    try {
      result = await autocannon({
        url: running.baseUrl,
        connections: 10,
        overallRate: flags.rate,
        duration: flags.soakSeconds,
        headers: { authorization: `Bearer ${member.token}` },
        requests: paths.map((path) => ({ method: 'GET', path })),
      });
    } finally {
      clearInterval(timer);
    }
    await sampling;
    await sample();

    const measured = samples.filter((s) => s.second >= WARMUP_SECONDS);
    const third = Math.max(1, Math.floor(measured.length / 3));
    const first = measured.slice(0, third);
    const last = measured.slice(-third);
    const growthOf = (field: 'rss' | 'heapUsed') => round(median(last.map((s) => s[field])) / median(first.map((s) => s[field])));
    const growth = { rss: growthOf('rss'), heapUsed: growthOf('heapUsed') };
    const requests = result['2xx'] + result.non2xx;
    const passed = result.errors === 0 && result.non2xx === 0 && result.timeouts === 0 && growth.rss <= MAX_GROWTH && growth.heapUsed <= MAX_GROWTH;

    const mib = (bytes: number) => round(bytes / 2 ** 20);
    printTable(`Soak: ${flags.rate} req/s for ${flags.soakSeconds} s over ${paths.length} endpoints (memory after GC, MiB)`, [
      ['second', 'rss', 'heap used', 'heap total', 'external'],
      ...samples.map((s) => [s.second, mib(s.rss), mib(s.heapUsed), mib(s.heapTotal), mib(s.external)]),
    ]);
    log(
      `requests ${requests}, errors ${result.errors}, non-2xx ${result.non2xx}, timeouts ${result.timeouts}; ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ` +
        `last third / first third after ${WARMUP_SECONDS} s warm-up: rss ${growth.rss}×, heap ${growth.heapUsed}× (limit ${MAX_GROWTH}×) → ${passed ? 'PASS' : 'FAIL'}`,
    );
    const soak: SoakResult = {
      seconds: flags.soakSeconds,
      rate: flags.rate,
      requests,
      errors: result.errors,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
      latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      samples,
      growth,
      passed,
    };
    const file = await writeResult('soak', {
      dataset: { name: dataset.name, ...dataset.size },
      paths: paths.map((path) => path.replace(target.organizationId, '{orgId}').replace(target.projectId, '{projectId}')),
      warmupSeconds: WARMUP_SECONDS,
      maxGrowth: MAX_GROWTH,
      ...soak,
    });
    log(`wrote ${file}`);
    return soak;
  } finally {
    if (user) await removeMember(dataset.url, user).catch(() => undefined);
    await server?.stop();
    await admin.close();
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    try {
      const result = await runSoak(dataset, flags);
      if (!result.passed) process.exitCode = 1;
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}
