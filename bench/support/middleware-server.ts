/**
 * The child process of bench/middleware.ts: one HTTP server per variant, all in this process,
 * each on its own loopback port. A variant is bare Hono with a probe route (`GET` answers
 * `{status:'ok'}`, `POST` parses the JSON body first, as every JSON route does) and one of the
 * app's edge middleware in front of it (or all of them, in the app's order); one more is the
 * whole createApp answering `GET /health`. Over IPC: `ready` with the ports and a bearer token,
 * then `cpu` answers process.cpuUsage() so the parent can charge CPU time to each run.
 *
 * Needs DATABASE_URL (a migrated, empty database) and BENCH_AUTH_SECRET.
 */
import { BlockList } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createAuth } from '../../src/auth/auth.js';
import { generateMasterKey } from '../../src/crypto/envelope.js';
import { openDatabase } from '../../src/db/connection.js';
import { type EdgeMiddleware, createApp, edgeMiddleware } from '../../src/http/app.js';
import type { AppEnv } from '../../src/http/env.js';
import { handleError } from '../../src/http/errors.js';
import { createLogger } from '../../src/http/logger.js';
import { createSessionCache } from '../../src/http/session-cache.js';
import { isMain } from './args.js';

export const PROBE_PATH = '/api/v1/probe';

export type MiddlewareServerMessage =
  | { type: 'ready'; ports: Record<string, number>; token: string }
  | { type: 'cpu'; micros: number };
export type MiddlewareParentMessage = { type: 'cpu' } | { type: 'stop' };

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

function probeApp(middleware: EdgeMiddleware[]): Fetch {
  const app = new Hono<AppEnv>();
  for (const { path, handler } of middleware) app.use(path, handler);
  app.onError(handleError);
  app.get(PROBE_PATH, (c) => c.json({ status: 'ok' }));
  app.post(PROBE_PATH, async (c) => {
    await c.req.json();
    return c.json({ status: 'ok' });
  });
  return app.fetch;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const secret = process.env.BENCH_AUTH_SECRET;
  if (!url || !secret) throw new Error('middleware bench server needs DATABASE_URL and BENCH_AUTH_SECRET');
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 4 });
  const auth = createAuth({ db, secret, baseUrl: 'http://127.0.0.1' });
  // Access logs at the production level, to this process's stdout (a file the parent opened).
  const logger = createLogger('info');
  const app = createApp({ db, auth, logger, masterKey: generateMasterKey(), dataDir: mkdtempSync(join(tmpdir(), 'tenantry-bench-')) });
  const edge = edgeMiddleware({ logger, trustedProxies: new BlockList(), maxBodyBytes: 1_048_576, sessions: createSessionCache(auth) });

  const signUp = await app.request('/api/auth/sign-up/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1' },
    body: JSON.stringify({ email: 'middleware-bench@bench.example', password: 'correct horse battery staple', name: 'Bench' }),
  });
  const token = signUp.headers.get('set-auth-token');
  if (!signUp.ok || !token) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);

  const variants: [string, Fetch][] = [
    ['bare Hono', probeApp([])],
    ...edge.map((one): [string, Fetch] => [one.name, probeApp([one])]),
    ['all edge middleware', probeApp(edge)],
    ['createApp GET /health', app.fetch],
  ];
  const ports: Record<string, number> = {};
  for (const [name, fetch] of variants) {
    ports[name] = await new Promise<number>((done) => {
      serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => done(info.port));
    });
  }
  const send = (message: MiddlewareServerMessage) => process.send?.(message);
  send({ type: 'ready', ports, token });
  process.on('message', (message: MiddlewareParentMessage) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', micros: user + system });
    } else {
      logger.flush();
      void db.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`middleware bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
