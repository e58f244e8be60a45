/**
 * The API against the database's own limit. The server (bench/support/server.ts: the app as
 * src/main.ts assembles it, pool of 20) runs in a child process on loopback; autocannon drives
 * two hot endpoints at fixed concurrency. pgbench then runs, at the same concurrency, the very
 * transaction the endpoint's service sends (BEGIN; the set_config statement; the repository's
 * SELECTs; COMMIT), recorded from the driver while an in-process app served the same request.
 * HTTP and pgbench alternate, round after round. Also counts round trips per request.
 *
 *   npx tsx bench/api-vs-db.ts [--tasks 1000000] [--connections 16] [--duration 15] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createAuth } from '../src/auth/auth.js';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { type Database, openDatabase } from '../src/db/connection.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/http/logger.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { driverRate } from './support/driver-rate.js';
import { PGBENCH, pgbenchScript, runPgbench } from './support/pgbench.js';
import { type SentQuery, recordQueries } from './support/query-counter.js';
import { log, printTable, writeResult } from './support/report.js';
import { AUTH_SECRET, type BenchServer, type BenchUser, removeMember, signUpMember, startBenchServer } from './support/server-process.js';
import { median, pairedRatio, round } from './support/stats.js';
import { findTargets } from './support/targets.js';

const TARGET_RATIO = 0.3;
const ROUNDS = 3;
/** Distinct task ids the get endpoint rotates over, on both sides. */
const GET_IDS = 8;

type Endpoint = { name: string; route: string; paths: string[] };

type RoundTrip = { text: string; params: number };

export type EndpointResult = {
  endpoint: string;
  route: string;
  /** Every statement one request sends, in order (recorded in process). */
  roundTrips: RoundTrip[];
  /** Statements per request under load, counted in the server process. */
  roundTripsUnderLoad: number;
  pgbenchScript: string;
  http: { rps: number[]; p50: number[]; p99: number[]; errors: number; non2xx: number };
  pgbench: { tps: number[]; p50: number[]; p99: number[]; failed: number; command: string };
  median: { httpRps: number; httpP50: number; httpP99: number; pgbenchTps: number; pgbenchP50: number; pgbenchP99: number };
  /** Median of per-round HTTP rps / pgbench tps. */
  ratio: number;
  /** The same transaction from Node through node-postgres alone; ratio is driver tps / pgbench tps. */
  driver: { tps: number[]; p50: number[]; ratio?: number };
};

export async function runApiVsDb(dataset: Dataset, flags: Pick<BenchFlags, 'connections' | 'duration'>): Promise<{ endpoints: EndpointResult[]; withinTarget: boolean }> {
  const admin = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 2 });
  let server: BenchServer | undefined;
  let user: BenchUser | undefined;
  try {
    const [target] = await findTargets(admin, ['largest']);
    if (!target) throw new Error('no target organization');
    const running = await startBenchServer(dataset.url);
    server = running;
    const member = await signUpMember(running.baseUrl, dataset.url, target.organizationId);
    user = member;
    const org = target.organizationId;
    const endpoints: Endpoint[] = [
      {
        name: 'tasks.get',
        route: 'GET /api/v1/orgs/{orgId}/tasks/{id}',
        paths: target.taskIds.slice(0, GET_IDS).map((id) => `/api/v1/orgs/${org}/tasks/${id}`),
      },
      {
        name: 'tasks.list',
        route: 'GET /api/v1/orgs/{orgId}/projects/{projectId}/tasks?limit=50',
        paths: [`/api/v1/orgs/${org}/projects/${target.projectId}/tasks?limit=50`],
      },
    ];

    const recorded = await recordEndpoints(dataset.url, member, endpoints);
    const results: EndpointResult[] = [];
    for (const endpoint of endpoints) {
      const capture = recorded.get(endpoint.name);
      if (!capture) throw new Error(`nothing recorded for ${endpoint.name}`);
      const http: EndpointResult['http'] = { rps: [], p50: [], p99: [], errors: 0, non2xx: 0 };
      const bench: EndpointResult['pgbench'] = { tps: [], p50: [], p99: [], failed: 0, command: '' };
      const driver: EndpointResult['driver'] = { tps: [], p50: [] };
      const perRequest: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const runHttp = async () => {
          const before = await running.stats();
          const result = await autocannon({
            url: running.baseUrl,
            connections: flags.connections,
            duration: flags.duration,
            headers: { authorization: `Bearer ${member.token}` },
            requests: endpoint.paths.map((path) => ({ method: 'GET', path })),
          });
          const after = await running.stats();
          const responses = result['2xx'] + result.non2xx;
          http.rps.push(result['2xx'] / result.duration);
          http.p50.push(result.latency.p50);
          http.p99.push(result.latency.p99);
          http.errors += result.errors;
          http.non2xx += result.non2xx;
          if (responses > 0) perRequest.push((after.queries - before.queries) / responses);
          log(`  ${endpoint.name} http round ${r + 1}: ${Math.round(result['2xx'] / result.duration)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
        };
        const runDb = async () => {
          const run = await runPgbench({
            url: dataset.url,
            scripts: capture.scripts,
            clients: flags.connections,
            threads: 2,
            seconds: flags.duration,
            mode: 'prepared',
          });
          bench.tps.push(run.tps);
          bench.p50.push(run.latency.p50);
          bench.p99.push(run.latency.p99);
          bench.failed += run.failed;
          bench.command = run.command;
          log(`  ${endpoint.name} pgbench round ${r + 1}: ${Math.round(run.tps)} tps, p50 ${round(run.latency.p50)} ms, p99 ${round(run.latency.p99)} ms`);
        };
        const runDriver = async () => {
          const run = await driverRate(dataset.url, capture.transaction, { connections: flags.connections, seconds: flags.duration });
          driver.tps.push(run.tps);
          driver.p50.push(run.p50);
          log(`  ${endpoint.name} node-postgres round ${r + 1}: ${Math.round(run.tps)} tps, p50 ${round(run.p50)} ms`);
        };
        // A, B, C then C, B, A: no side always runs on a machine another just warmed.
        const sides = [runHttp, runDb, runDriver];
        for (const side of r % 2 === 0 ? sides : sides.reverse()) await side();
      }
      results.push({
        endpoint: endpoint.name,
        route: endpoint.route,
        roundTrips: capture.roundTrips,
        roundTripsUnderLoad: round(median(perRequest)),
        pgbenchScript: capture.scripts[0] ?? '',
        http,
        pgbench: bench,
        median: {
          httpRps: round(median(http.rps)),
          httpP50: median(http.p50),
          httpP99: median(http.p99),
          pgbenchTps: round(median(bench.tps)),
          pgbenchP50: round(median(bench.p50)),
          pgbenchP99: round(median(bench.p99)),
        },
        ratio: round(pairedRatio(http.rps, bench.tps)),
        driver: { ...driver, ratio: round(pairedRatio(driver.tps, bench.tps)) },
      });
    }

    const floor = await httpFloor(running.baseUrl, flags);
    log(`  http floor (GET /health, no database): ${floor.rps} req/s, p50 ${floor.p50} ms`);

    const withinTarget = results.every((row) => row.ratio >= TARGET_RATIO && row.http.errors === 0 && row.http.non2xx === 0 && row.pgbench.failed === 0);
    printTable(
      `API vs database (${flags.connections} connections, ${flags.duration} s × ${ROUNDS} rounds each, ${target.slug}: ${target.tasks.toLocaleString('en-US')} tasks; target ratio ≥ ${TARGET_RATIO})`,
      [
        ['endpoint', 'http req/s', 'http p50', 'http p99', 'pgbench tps', 'pgbench p50', 'pgbench p99', 'ratio', 'node-postgres tps', 'node-postgres/pgbench', 'round trips', 'errors'],
        ...results.map((row) => [
          row.endpoint, row.median.httpRps, row.median.httpP50, row.median.httpP99, row.median.pgbenchTps,
          row.median.pgbenchP50, row.median.pgbenchP99, row.ratio, round(median(row.driver.tps)), row.driver.ratio ?? Number.NaN,
          row.roundTripsUnderLoad, row.http.errors + row.http.non2xx + row.pgbench.failed,
        ]),
      ],
    );
    log(
      `The same server answers GET /health (no database, no session) at ${floor.rps} req/s: ` +
        `${round(floor.rps / (results[0]?.median.pgbenchTps ?? Number.NaN))} of pgbench's tasks.get rate is the ceiling for any endpoint on this machine.`,
    );
    for (const row of results) {
      log(`\n${row.endpoint}: ${row.roundTrips.length} statements per request`);
      for (const trip of row.roundTrips) log(`  ${trip.text.slice(0, 110)}${trip.text.length > 110 ? '…' : ''}`);
    }
    const file = await writeResult('api-vs-db', {
      dataset: { name: dataset.name, ...dataset.size },
      organization: { slug: target.slug, tasks: target.tasks, projectTasks: target.projectTasks },
      method:
        `server child process (pool 20, LOG_LEVEL info to /dev/null) on loopback; autocannon in the parent; ` +
        `${PGBENCH} -M prepared -j 2 with the recorded service transaction; node-postgres sending it from Node (prepared); sides alternate per round`,
      connections: flags.connections,
      durationSeconds: flags.duration,
      rounds: ROUNDS,
      targetRatio: TARGET_RATIO,
      withinTarget,
      endpoints: results,
      httpFloor: floor,
    });
    log(`wrote ${file}`);
    return { endpoints: results, withinTarget };
  } finally {
    if (user) await removeMember(dataset.url, user).catch(() => undefined);
    await server?.stop();
    await admin.close();
  }
}

/**
 * The HTTP stack alone: GET /health does no database work and reads no session, so its rate
 * is what Node, Hono and autocannon manage on this machine before any query is sent.
 */
async function httpFloor(baseUrl: string, flags: Pick<BenchFlags, 'connections' | 'duration'>): Promise<{ rps: number; p50: number; rounds: number[] }> {
  const rounds: number[] = [];
  const p50s: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const result = await autocannon({ url: `${baseUrl}/health`, connections: flags.connections, duration: flags.duration });
    rounds.push(result['2xx'] / result.duration);
    p50s.push(result.latency.p50);
  }
  return { rps: round(median(rounds)), p50: median(p50s), rounds };
}

type Capture = { roundTrips: RoundTrip[]; scripts: string[]; transaction: SentQuery[] };

/**
 * Serves each endpoint's requests once from an app built in this process, recording what the
 * driver sends: the full list of round trips, and the service's transaction (the last BEGIN …
 * COMMIT) as the pgbench script.
 */
async function recordEndpoints(url: string, user: BenchUser, endpoints: Endpoint[]): Promise<Map<string, Capture>> {
  const db: Database = await openDatabase({ kind: 'postgres', url }, { maxConnections: 4 });
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-bench-'));
  try {
    const auth = createAuth({ db, secret: AUTH_SECRET, baseUrl: 'http://127.0.0.1' });
    const app = createApp({ db, auth, logger: createLogger('silent'), masterKey: generateMasterKey(), dataDir });
    const get = async (path: string) => {
      const response = await app.request(path, { headers: { authorization: `Bearer ${user.token}` } });
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    };
    const captures = new Map<string, Capture>();
    for (const endpoint of endpoints) {
      let roundTrips: RoundTrip[] = [];
      let transaction: SentQuery[] = [];
      const scripts: string[] = [];
      for (const path of endpoint.paths) {
        await get(path);
        const sent = await recordQueries(() => get(path));
        roundTrips = sent.map((statement) => ({ text: statement.text.replace(/\s+/g, ' ').trim(), params: statement.values.length }));
        transaction = serviceTransaction(sent);
        scripts.push(pgbenchScript(transaction));
      }
      captures.set(endpoint.name, { roundTrips, scripts, transaction });
    }
    return captures;
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The last BEGIN … COMMIT of a request: the service's own transaction. */
function serviceTransaction(sent: SentQuery[]): SentQuery[] {
  const begin = sent.findLastIndex((statement) => /^\s*begin\b/i.test(statement.text));
  const commit = sent.findIndex((statement, index) => index > begin && /^\s*commit\b/i.test(statement.text));
  if (begin < 0 || commit < 0) throw new Error('no transaction in the recorded request');
  return sent.slice(begin, commit + 1);
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    try {
      await runApiVsDb(dataset, flags);
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}
