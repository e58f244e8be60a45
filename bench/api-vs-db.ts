/**
 * The API against the database's own limit. The server (bench/support/server.ts: the app as
 * src/main.ts assembles it, pool of 20) runs in a child process on loopback; wrk (a C client,
 * so the load generator does not take Node's cores) drives two hot endpoints at fixed concurrency. pgbench then runs, at the same concurrency, the very
 * transaction the endpoint's service sends (BEGIN; the set_config statement; the repository's
 * SELECTs; COMMIT), recorded from the driver while an in-process app served the same request.
 * HTTP and pgbench alternate, round after round. Also counts round trips per request.
 *
 * Two reads (one task, a page of 50) and one write: a rename (`PATCH …/tasks/{id}` with a new
 * title), which takes the one-round-trip update (src/features/tasks/update-in-one-trip.ts). The
 * write spreads over WRITE_TASKS tasks of the listed project, picked at random per request on
 * both sides (wrk per request, pgbench per transaction, one script per task), so both meet the
 * same row-lock collisions; the live event's id, which the server makes per request, pgbench
 * makes with gen_random_uuid(). The renamed tasks get their titles back at the end.
 *
 * `--web-concurrency 2` serves from two processes on one port, as WEB_CONCURRENCY does in production
 * (its default there is one per core); the default here is one process. `--only get,list,rename`
 * runs only those endpoints.
 *
 *   npx tsx bench/api-vs-db.ts [--tasks 1000000] [--connections 16] [--duration 15] [--web-concurrency 1] [--only list,rename] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuth } from '../src/auth/auth.js';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { type Database, openDatabase } from '../src/db/connection.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/http/logger.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { driverRate } from './support/driver-rate.js';
import { FRESH_UUID, PGBENCH, pgbenchScript, runPgbench } from './support/pgbench.js';
import { type SentQuery, recordQueries } from './support/query-counter.js';
import { log, printTable, writeResult } from './support/report.js';
import { AUTH_SECRET, type BenchServer, type BenchUser, removeMember, signUpMember, startBenchServer } from './support/server-process.js';
import { median, pairedRatio, round } from './support/stats.js';
import { findTargets } from './support/targets.js';
import { runWrk } from './support/wrk.js';

const TARGET_RATIO = 0.3;
const ROUNDS = 3;
/** Distinct task ids the get endpoint rotates over, on both sides. */
const GET_IDS = 8;
/**
 * Tasks the rename spreads over (one pgbench script each; pgbench takes at most 128): with 16
 * connections picking at random, about one pair at a time waits on the same row, on both sides.
 */
const WRITE_TASKS = 100;
/** The recording's request id, fixed so that the values that still differ between two recordings are the ones the server makes per request. */
const RECORDING_REQUEST_ID = 'bench-api-vs-db';

type Endpoint = { name: string; route: string; paths: string[]; method?: 'GET' | 'PATCH'; bodies?: string[] };

type RoundTrip = { text: string; params: number };

export type EndpointResult = {
  endpoint: string;
  route: string;
  /** Every statement one request sends, in order (recorded in process). */
  roundTrips: RoundTrip[];
  /** Statements per request under load, counted in the server process. */
  roundTripsUnderLoad: number;
  pgbenchScript: string;
  http: { rps: number[]; p50: number[]; p99: number[]; errors: number; non2xx: number; cpuMsPerRequest: number[] };
  pgbench: { tps: number[]; p50: number[]; p99: number[]; failed: number; command: string };
  /** pgbench running the classic form of the same work: BEGIN; one set_config select; the work; COMMIT, one round trip each. */
  classic: { script: string; tps: number[]; failed: number; ratio: number };
  /** HTTP paced at half the median saturated rate. */
  halfRate: { rate: number; p50: number; p99: number; rps: number };
  median: { httpRps: number; httpP50: number; httpP99: number; pgbenchTps: number; pgbenchP50: number; pgbenchP99: number; cpuMsPerRequest: number };
  /** Median of per-round HTTP rps / pgbench tps. */
  ratio: number;
  /** The same transaction from Node through node-postgres alone; ratio is driver tps / pgbench tps. */
  driver: { tps: number[]; p50: number[]; ratio?: number };
};

export async function runApiVsDb(
  dataset: Dataset,
  flags: Pick<BenchFlags, 'connections' | 'duration'> & Partial<Pick<BenchFlags, 'webConcurrency'>>,
  only: string[] = [],
): Promise<{ endpoints: EndpointResult[]; withinTarget: boolean }> {
  const admin = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 2 });
  let server: BenchServer | undefined;
  let user: BenchUser | undefined;
  let renamed: { id: string; title: string }[] = [];
  try {
    const [target] = await findTargets(admin, ['largest']);
    if (!target) throw new Error('no target organization');
    const processes = flags.webConcurrency ?? 1;
    const running = await startBenchServer(dataset.url, { processes });
    server = running;
    const member = await signUpMember(running.baseUrl, dataset.url, target.organizationId);
    user = member;
    const org = target.organizationId;
    renamed = await admin.query<{ id: string; title: string }>(
      `select id, title from tasks where organization_id = $1 and project_id = $2 and deleted_at is null order by md5(id::text) limit ${WRITE_TASKS}`,
      [org, target.projectId],
    );
    const allEndpoints: Endpoint[] = [
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
      {
        name: 'tasks.rename',
        route: 'PATCH /api/v1/orgs/{orgId}/tasks/{id} {"title": …}',
        method: 'PATCH',
        paths: renamed.map(({ id }) => `/api/v1/orgs/${org}/tasks/${id}`),
        bodies: renamed.map((_, index) => JSON.stringify({ title: `Renamed by the benchmark ${index + 1}` })),
      },
    ];
    const endpoints = allEndpoints.filter(({ name }) => only.length === 0 || only.some((wanted) => name === wanted || name === `tasks.${wanted}`));
    if (endpoints.length === 0) throw new Error(`--only names none of ${allEndpoints.map(({ name }) => name).join(', ')}`);

    const recorded = await recordEndpoints(dataset.url, member, endpoints);
    const results: EndpointResult[] = [];
    for (const endpoint of endpoints) {
      const capture = recorded.get(endpoint.name);
      if (!capture) throw new Error(`nothing recorded for ${endpoint.name}`);
      const http: EndpointResult['http'] = { rps: [], p50: [], p99: [], errors: 0, non2xx: 0, cpuMsPerRequest: [] };
      const classic = classicScript(capture.transaction, org, member.userId);
      const classicRun = { tps: [] as number[], failed: 0 };
      const bench: EndpointResult['pgbench'] = { tps: [], p50: [], p99: [], failed: 0, command: '' };
      const driver: EndpointResult['driver'] = { tps: [], p50: [] };
      const perRequest: number[] = [];
      const load = {
        baseUrl: running.baseUrl,
        paths: endpoint.paths,
        method: endpoint.method,
        bodies: endpoint.bodies,
        pick: endpoint.method === 'PATCH' ? ('random' as const) : ('rotate' as const),
        headers: { authorization: `Bearer ${member.token}`, ...(endpoint.bodies ? { 'content-type': 'application/json' } : {}) },
        connections: flags.connections,
        seconds: flags.duration,
      };
      for (let r = 0; r < ROUNDS; r++) {
        const runHttp = async () => {
          const before = await running.stats();
          const result = await runWrk(load);
          const after = await running.stats();
          http.rps.push(result.rps);
          http.p50.push(result.p50);
          http.p99.push(result.p99);
          http.errors += result.errors;
          http.non2xx += result.non2xx;
          if (result.requests > 0) {
            perRequest.push((after.queries - before.queries) / result.requests);
            http.cpuMsPerRequest.push((after.cpuMicros - before.cpuMicros) / 1000 / result.requests);
          }
          log(`  ${endpoint.name} http round ${r + 1}: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${round(http.cpuMsPerRequest.at(-1) ?? Number.NaN)} ms CPU per request`);
        };
        const runClassic = async () => {
          const run = await runPgbench({ url: dataset.url, scripts: [classic], clients: flags.connections, threads: 2, seconds: flags.duration, mode: 'prepared' });
          classicRun.tps.push(run.tps);
          classicRun.failed += run.failed;
          log(`  ${endpoint.name} pgbench classic round ${r + 1}: ${Math.round(run.tps)} tps`);
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
        const sides = [runHttp, runDb, runClassic, runDriver];
        for (const side of r % 2 === 0 ? sides : sides.reverse()) await side();
      }
      const rate = Math.max(1, Math.round(median(http.rps) / 2));
      const paced = await runWrk({ ...load, rate });
      log(`  ${endpoint.name} http paced at ${rate} req/s: ${Math.round(paced.rps)} req/s, p50 ${paced.p50} ms, p99 ${paced.p99} ms`);
      results.push({
        endpoint: endpoint.name,
        classic: { script: classic, tps: classicRun.tps, failed: classicRun.failed, ratio: round(pairedRatio(http.rps, classicRun.tps)) },
        halfRate: { rate, p50: paced.p50, p99: paced.p99, rps: round(paced.rps) },
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
          cpuMsPerRequest: round(median(http.cpuMsPerRequest)),
        },
        ratio: round(pairedRatio(http.rps, bench.tps)),
        driver: { ...driver, ratio: round(pairedRatio(driver.tps, bench.tps)) },
      });
    }

    const floor = await httpFloor(running.baseUrl, flags);
    log(`  http floor (GET /health, no database): ${floor.rps} req/s, p50 ${floor.p50} ms`);

    const withinTarget = results.every((row) => row.ratio >= TARGET_RATIO && row.http.errors === 0 && row.http.non2xx === 0 && row.pgbench.failed === 0);
    printTable(
      `API vs database (${processes} server process${processes === 1 ? '' : 'es'}, ${flags.connections} connections, ${flags.duration} s × ${ROUNDS} rounds each, ${target.slug}: ${target.tasks.toLocaleString('en-US')} tasks; target ratio ≥ ${TARGET_RATIO})`,
      [
        ['endpoint', 'http req/s', 'http p50', 'http p99', 'pgbench tps', 'ratio', 'classic tps', 'ratio to classic', 'node-postgres/pgbench', 'CPU ms/req', 'round trips', 'half-rate p50', 'half-rate p99', 'errors'],
        ...results.map((row) => [
          row.endpoint, row.median.httpRps, row.median.httpP50, row.median.httpP99, row.median.pgbenchTps, row.ratio,
          round(median(row.classic.tps)), row.classic.ratio, row.driver.ratio ?? Number.NaN, row.median.cpuMsPerRequest,
          row.roundTripsUnderLoad, row.halfRate.p50, row.halfRate.p99, row.http.errors + row.http.non2xx + row.pgbench.failed + row.classic.failed,
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
        `server child process (${processes} process(es), pool 20 each, LOG_LEVEL info to /dev/null) on loopback; wrk -t 2 driving it; ` +
        `${PGBENCH} -M prepared -j 2 with the recorded service transaction; node-postgres sending it from Node (prepared); sides alternate per round`,
      serverProcesses: processes,
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
    if (renamed.length > 0) {
      await admin.query('update tasks t set title = r.title from unnest($1::uuid[], $2::text[]) as r(id, title) where t.id = r.id', [
        renamed.map(({ id }) => id),
        renamed.map(({ title }) => title),
      ]);
    }
    if (user) await removeMember(dataset.url, user).catch(() => undefined);
    await server?.stop();
    await admin.close();
  }
}

/**
 * The HTTP stack alone: GET /health does no database work and reads no session, so its rate
 * is what Node, Hono and wrk manage on this machine before any query is sent.
 */
async function httpFloor(baseUrl: string, flags: Pick<BenchFlags, 'connections' | 'duration'>): Promise<{ rps: number; p50: number; rounds: number[] }> {
  const rounds: number[] = [];
  const p50s: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const result = await runWrk({ baseUrl, paths: ['/health'], connections: flags.connections, seconds: flags.duration });
    rounds.push(result.rps);
    p50s.push(result.p50);
  }
  return { rps: round(median(rounds)), p50: median(p50s), rounds };
}

/**
 * The classic way to send the same work, as Tenantry did before it pipelined (issue 15):
 * BEGIN; the context in one set_config select; the work's statements (not the membership check,
 * which ran before the transaction); COMMIT, each its own round trip.
 */
function classicScript(transaction: SentQuery[], organizationId: string, userId: string): string {
  const work = transaction.filter(({ text }) => !/^\s*(begin|commit|set)\b/i.test(text) && !/^select "role" from "members"/.test(text));
  const context = `select set_config('role', 'tenantry_app', true), set_config('app.organization_id', '${organizationId}', true), set_config('app.user_id', '${userId}', true)`;
  return pgbenchScript([{ text: 'begin', values: [] }, { text: context, values: [] }, ...work.map(({ text, values }) => ({ text, values })), { text: 'commit', values: [] }]);
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
    const send = async (endpoint: Endpoint, index: number) => {
      const path = endpoint.paths[index] ?? '';
      const body = endpoint.bodies?.[index];
      const headers = { authorization: `Bearer ${user.token}`, 'x-request-id': RECORDING_REQUEST_ID, ...(body ? { 'content-type': 'application/json' } : {}) };
      const response = await app.request(path, { method: endpoint.method ?? 'GET', headers, body });
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    };
    const captures = new Map<string, Capture>();
    for (const endpoint of endpoints) {
      let roundTrips: RoundTrip[] = [];
      let transaction: SentQuery[] = [];
      const scripts: string[] = [];
      for (const index of endpoint.paths.keys()) {
        const first = serviceTransaction(await recordQueries(() => send(endpoint, index)));
        const sent = await recordQueries(() => send(endpoint, index));
        roundTrips = sent.map((statement) => ({ text: statement.text.replace(/\s+/g, ' ').trim(), params: statement.values.length }));
        transaction = freshIds(first, serviceTransaction(sent));
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

/**
 * The second recording of a request with the ids the server made for it (a UUID that differs
 * from the first recording's in the same place: the live event's id; the request id is fixed)
 * replaced by FRESH_UUID, which pgbench and the driver make anew for every transaction.
 */
function freshIds(first: SentQuery[], second: SentQuery[]): SentQuery[] {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return second.map((statement, index) => {
    const before = first[index];
    if (before?.text !== statement.text) throw new Error('two recordings of one request sent different statements');
    const values = statement.values.map((value, position) => (typeof value === 'string' && uuid.test(value) && value !== before.values[position] ? FRESH_UUID : value));
    return { ...statement, values };
  });
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
      await runApiVsDb(dataset, flags, flags.only);
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}
