/**
 * Middleware: what each edge middleware of the app costs, one by one, against bare Hono.
 * bench/support/middleware-server.ts serves every variant from one child process; `wrk` (a C
 * load generator, so no Node client competes for the two cores) drives each in turn, GET and a
 * 1 KB JSON POST, with a bearer token, in rounds whose order rotates. Per run: requests per
 * second, and the server's CPU time per request (process.cpuUsage() over the run). Ratios are
 * to bare Hono in the same round; every figure is the median over the rounds.
 * Writes bench/results/middleware.json.
 *
 *   npx tsx bench/middleware.ts --duration 5 [--rounds 3] [--connections 16]
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { PROBE_PATH, type MiddlewareParentMessage, type MiddlewareServerMessage } from './support/middleware-server.js';
import { log, printTable, writeResult } from './support/report.js';
import { AUTH_SECRET } from './support/server-process.js';
import { median, round } from './support/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATABASE = 'tenantry_bench_middleware';
const BARE = 'bare Hono';
const HEALTH = 'createApp GET /health';

/** A task as a client creates one: the body every POST run sends. */
const POST_BODY = JSON.stringify({
  title: 'Checkout fails when the basket holds more than ninety-nine items',
  description: 'Steps to reproduce: add a hundred items, open the basket, press Checkout. '.repeat(10),
  type: 'bug',
  priority: 'high',
  storyPoints: 3,
  labels: ['checkout', 'basket'],
});

type Run = { variant: string; method: 'GET' | 'POST'; round: number; requestsPerSecond: number; cpuMicrosPerRequest: number };
export type MiddlewareRow = { variant: string; method: string; requestsPerSecond: number; ratioToBare: number; cpuMicrosPerRequest: number; cpuOverBare: number };

export async function runMiddlewareBench(flags: { rounds: number; duration: number; connections: number }): Promise<MiddlewareRow[]> {
  const { url, db } = await freshDatabase(DATABASE);
  await db.close();
  const scratch = mkdtempSync(join(tmpdir(), 'tenantry-middleware-bench-'));
  const logFile = openSync(join(scratch, 'server.log'), 'w');
  const postScript = join(scratch, 'post.lua');
  writeFileSync(postScript, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(POST_BODY)}\nwrk.headers["Content-Type"] = "application/json"\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'support', 'middleware-server.ts')], {
    env: { ...process.env, DATABASE_URL: url, BENCH_AUTH_SECRET: AUTH_SECRET, NODE_ENV: 'production' },
    stdio: ['ignore', logFile, 'inherit', 'ipc'],
  });
  try {
    const { ports, token } = await nextMessage(child, 'ready', 60_000);
    const variants = Object.keys(ports);
    const target = (variant: string) => `http://127.0.0.1:${ports[variant]}${variant === HEALTH ? '/health' : PROBE_PATH}`;
    const methodsOf = (variant: string) => (variant === HEALTH ? (['GET'] as const) : (['GET', 'POST'] as const));
    // Unmeasured: the JIT compiles each variant's path before any of them is timed.
    for (const variant of variants) {
      for (const method of methodsOf(variant)) await wrk(target(variant), { ...flags, duration: 1, token, script: method === 'POST' ? postScript : undefined });
    }
    const runs: Run[] = [];
    for (let round = 0; round < flags.rounds; round++) {
      // Rotated each round, so no variant always runs first or right after the same neighbour.
      const order = variants.map((_, i) => variants[(i + round) % variants.length] ?? BARE);
      for (const variant of order) {
        for (const method of methodsOf(variant)) {
          const before = await cpuMicros(child);
          const result = await wrk(target(variant), { ...flags, token, script: method === 'POST' ? postScript : undefined });
          const after = await cpuMicros(child);
          runs.push({ variant, method, round, requestsPerSecond: result.requestsPerSecond, cpuMicrosPerRequest: (after - before) / result.requests });
          log(`round ${round + 1}: ${variant} ${method}: ${Math.round(result.requestsPerSecond)} req/s, ${round1((after - before) / result.requests)} µs CPU per request`);
        }
      }
    }
    const rows = summarizeRuns(runs, variants);
    printTable(`Edge middleware, each alone in front of bare Hono (${flags.connections} connections, ${flags.duration} s runs, medians of ${flags.rounds} rounds)`, [
      ['variant', 'method', 'req/s', 'ratio to bare', 'server CPU µs/req', 'CPU µs over bare'],
      ...rows.map((row) => [row.variant, row.method, Math.round(row.requestsPerSecond), row.ratioToBare, row.cpuMicrosPerRequest, row.cpuOverBare]),
    ]);
    const file = await writeResult('middleware', {
      method: `wrk -t1 -c${flags.connections} -d${flags.duration}s per variant and method, rounds rotated; ratios to bare Hono paired per round; CPU from process.cpuUsage() of the server`,
      postBodyBytes: Buffer.byteLength(POST_BODY),
      rows,
      runs,
    });
    log(`wrote ${file}`);
    return rows;
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.send({ type: 'stop' } satisfies MiddlewareParentMessage);
      await exited;
    }
    closeSync(logFile);
    rmSync(scratch, { recursive: true, force: true });
    await dropBenchDatabase(DATABASE);
  }
}

function summarizeRuns(runs: Run[], variants: string[]): MiddlewareRow[] {
  const rows: MiddlewareRow[] = [];
  for (const variant of variants) {
    for (const method of ['GET', 'POST'] as const) {
      const mine = runs.filter((run) => run.variant === variant && run.method === method);
      if (mine.length === 0) continue;
      const bareOf = (round: number) => runs.find((run) => run.variant === BARE && run.method === method && run.round === round);
      rows.push({
        variant,
        method,
        requestsPerSecond: median(mine.map((run) => run.requestsPerSecond)),
        ratioToBare: round(median(mine.map((run) => run.requestsPerSecond / (bareOf(run.round)?.requestsPerSecond ?? Number.NaN)))),
        cpuMicrosPerRequest: round1(median(mine.map((run) => run.cpuMicrosPerRequest))),
        cpuOverBare: round1(median(mine.map((run) => run.cpuMicrosPerRequest - (bareOf(run.round)?.cpuMicrosPerRequest ?? Number.NaN)))),
      });
    }
  }
  return rows;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

async function wrk(url: string, options: { duration: number; connections: number; token: string; script: string | undefined }): Promise<{ requests: number; requestsPerSecond: number }> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.duration}s`, '-H', `authorization: Bearer ${options.token}`, ...(options.script ? ['-s', options.script] : []), url];
  const { stdout } = await promisify(execFile)('wrk', args, { timeout: (options.duration + 30) * 1000 });
  const requests = /(\d+) requests in/.exec(stdout)?.[1];
  const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  // Timeouts (no answer within 2 s) are the machine being busy and show in the rate; a refused
  // connection or a non-2xx answer means the variant is broken, and its numbers would lie.
  const broken = /Non-2xx/.test(stdout) || /Socket errors: connect [1-9]|read [1-9]|write [1-9]/.test(stdout);
  if (broken || !requests || !perSecond) throw new Error(`wrk against ${url} saw errors or printed no rate:\n${stdout}`);
  return { requests: Number(requests), requestsPerSecond: Number(perSecond) };
}

function nextMessage<T extends MiddlewareServerMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<MiddlewareServerMessage, { type: T }>> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the bench server sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => fail(new Error(`the bench server exited (${code}) before ${type}`));
    const onMessage = (message: MiddlewareServerMessage) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      // Checked just above: TypeScript does not narrow a union by a generic type parameter.
      done(message as Extract<MiddlewareServerMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function cpuMicros(child: ChildProcess): Promise<number> {
  const answer = nextMessage(child, 'cpu', 10_000);
  child.send({ type: 'cpu' } satisfies MiddlewareParentMessage);
  return (await answer).micros;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    await runMiddlewareBench({ rounds: flags.rounds, duration: flags.duration, connections: flags.connections });
  });
}
