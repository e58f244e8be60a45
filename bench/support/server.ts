/**
 * The API server as a benchmark child process: the same assembly as src/main.ts (pool of 20,
 * Better Auth with its rate limits, pino at LOG_LEVEL), without init or demo data, on a free
 * loopback port. It talks to its parent over IPC: `ready` with the port, then answers `stats`
 * with the statements it has sent so far and its memory (after a full GC, so heap numbers
 * compare across samples), and closes on `stop`.
 *
 * Started by server-process.ts; needs DATABASE_URL and BENCH_AUTH_SECRET.
 */
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
  | { type: 'stats'; queries: number; memory: { rss: number; heapUsed: number; heapTotal: number; external: number } };
export type ParentMessage = { type: 'stats' } | { type: 'stop' };

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const secret = process.env.BENCH_AUTH_SECRET;
  if (!url || !secret) throw new Error('bench server needs DATABASE_URL and BENCH_AUTH_SECRET');
  installQueryCounter();
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 20 });
  const auth = createAuth({ db, secret, baseUrl: 'http://127.0.0.1' });
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-bench-'));
  const app = createApp({ db, auth, logger: createLogger(process.env.LOG_LEVEL ?? 'info'), masterKey: generateMasterKey(), dataDir });
  const send = (message: ServerMessage) => process.send?.(message);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => send({ type: 'ready', port: info.port }));

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      // Available because the parent starts this process with --expose-gc.
      const collect: unknown = Reflect.get(globalThis, 'gc');
      if (typeof collect === 'function') Reflect.apply(collect, undefined, []);
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      send({ type: 'stats', queries: queriesSent(), memory: { rss, heapUsed, heapTotal, external } });
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
