/**
 * The API server as a benchmark child process: the same assembly as src/main.ts (pool of 20,
 * Better Auth with its rate limits, pino at LOG_LEVEL), without init or demo data, on a free
 * loopback port. It talks to its parent over IPC: `ready` with the port, then answers `stats`
 * with the statements it has sent so far, the CPU time it has used and its memory (after a full GC, so heap numbers
 * compare across samples), and closes on `stop`.
 *
 * With BENCH_WEB_CONCURRENCY=N (N > 1) it serves as src/main.ts does with WEB_CONCURRENCY: N
 * forked processes (node:cluster) on one port, each with its own pool of 20; this process only
 * hands out connections and answers `stats` with the sum over the servers and itself.
 *
 * Started by server-process.ts; needs DATABASE_URL and BENCH_AUTH_SECRET.
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createAuth } from '../../src/auth/auth.js';
import { generateMasterKey } from '../../src/crypto/envelope.js';
import { openDatabase } from '../../src/db/connection.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import { installQueryCounter, queriesSent } from './query-counter.js';

export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; queries: number; memory: { rss: number; heapUsed: number; heapTotal: number; external: number }; cpuMicros: number };
export type ParentMessage = { type: 'stats' } | { type: 'stop' };

type Stats = Extract<ServerMessage, { type: 'stats' }>;

function ownStats(queries: number): Stats {
  // Available because the parent starts this process with --expose-gc.
  const collect: unknown = Reflect.get(globalThis, 'gc');
  if (typeof collect === 'function') Reflect.apply(collect, undefined, []);
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { type: 'stats', queries, memory: { rss, heapUsed, heapTotal, external }, cpuMicros: cpu.user + cpu.system };
}

function statsOf(worker: Worker): Promise<Stats> {
  return new Promise((done) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type !== 'stats') return;
      worker.off('message', onMessage);
      done(message);
    };
    worker.on('message', onMessage);
    worker.send({ type: 'stats' } satisfies ParentMessage);
  });
}

/** The supervising process of BENCH_WEB_CONCURRENCY servers: forks them, relays `ready` once all listen, sums their stats. */
async function supervise(processes: number): Promise<void> {
  const send = (message: ServerMessage) => process.send?.(message);
  const workers = Array.from({ length: processes }, () => cluster.fork());
  const ports = await Promise.all(workers.map((worker) => new Promise<number>((done) => worker.on('message', (message: ServerMessage) => message.type === 'ready' && done(message.port)))));
  send({ type: 'ready', port: ports[0] ?? 0 });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      void Promise.all(workers.map(statsOf)).then((all) => {
        const total = ownStats(0);
        for (const one of all) {
          total.queries += one.queries;
          total.cpuMicros += one.cpuMicros;
          for (const key of ['rss', 'heapUsed', 'heapTotal', 'external'] as const) total.memory[key] += one.memory[key];
        }
        send(total);
      });
    } else {
      for (const worker of workers) worker.send(message);
      setTimeout(() => process.exit(0), 6_000).unref();
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const secret = process.env.BENCH_AUTH_SECRET;
  if (!url || !secret) throw new Error('bench server needs DATABASE_URL and BENCH_AUTH_SECRET');
  const processes = Number(process.env.BENCH_WEB_CONCURRENCY ?? '1');
  if (cluster.isPrimary && processes > 1) return supervise(processes);
  installQueryCounter();
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 20 });
  const auth = createAuth({ db, secret, baseUrl: 'http://127.0.0.1' });
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-bench-'));
  const app = createApp({ db, auth, logger: createLogger(process.env.LOG_LEVEL ?? 'info'), masterKey: generateMasterKey(), dataDir });
  const send = (message: ServerMessage) => process.send?.(message);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => send({ type: 'ready', port: info.port }));

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      send(ownStats(queriesSent()));
    } else {
      server.close(() => {
        void db.close().then(() => process.exit(0));
      });
      setTimeout(() => process.exit(0), 5_000).unref();
    }
  });
  // The parent going away must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
