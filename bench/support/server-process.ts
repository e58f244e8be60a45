import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ParentMessage, ServerMessage } from './server.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

export type ServerStats = Extract<ServerMessage, { type: 'stats' }>;

export type BenchServer = {
  baseUrl: string;
  /** Statements sent and memory (after GC), asked over IPC. */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
};

/** The secret both the child server and an in-process app use, so either accepts the other's tokens. */
export const AUTH_SECRET = randomBytes(32).toString('hex');

/**
 * Starts bench/support/server.ts as a child process on loopback and waits until it listens.
 * `nodeArgs` go to node itself, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] to see where the time goes.
 * `processes` above 1 serves from that many forked processes on one port, as WEB_CONCURRENCY does.
 */
export async function startBenchServer(databaseUrl: string, options: { env?: Record<string, string>; nodeArgs?: string[]; processes?: number } = {}): Promise<BenchServer> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--expose-gc', '--import', 'tsx', join(here, 'server.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_AUTH_SECRET: AUTH_SECRET, NODE_ENV: 'production', BENCH_WEB_CONCURRENCY: String(options.processes ?? 1), ...options.env },
    // Access logs go nowhere, cheaply; errors still reach our stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('bench server did not start within 60 s')), 60_000);
    child.once('exit', (code) => fail(new Error(`bench server exited (${code}) before listening`)));
    child.on('message', (message: ServerMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      done(message.port);
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats: () => ask(child),
    stop: () => stop(child),
  };
}

function ask(child: ChildProcess): Promise<ServerStats> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('bench server did not answer stats within 10 s')), 10_000);
    const onMessage = (message: ServerMessage) => {
      if (message.type !== 'stats') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      done(message);
    };
    child.on('message', onMessage);
    const request: ParentMessage = { type: 'stats' };
    child.send(request);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const request: ParentMessage = { type: 'stop' };
  child.send(request);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export type BenchUser = { userId: string; email: string; token: string };

/**
 * Signs up one user through the API and makes them a member of `organizationId` with a direct
 * insert as the superuser: scale users have no passwords, so they cannot sign in.
 */
export async function signUpMember(baseUrl: string, databaseUrl: string, organizationId: string, role: 'member' | 'admin' = 'member'): Promise<BenchUser> {
  const email = `bench-${randomBytes(4).toString('hex')}@bench.example`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1' },
    body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Bench User' }),
  });
  const token = response.headers.get('set-auth-token');
  const payload: unknown = await response.json();
  const userId: unknown = typeof payload === 'object' && payload !== null ? Reflect.get(Reflect.get(payload, 'user') ?? {}, 'id') : undefined;
  if (!response.ok || !token || typeof userId !== 'string') throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(payload)}`);
  await asSuperuser(databaseUrl, (client) =>
    client.query('insert into members (organization_id, user_id, role) values ($1, $2, $3)', [organizationId, userId, role]),
  );
  return { userId, email, token };
}

/** Removes what signUpMember added (its membership, sessions and account go with the user). */
export async function removeMember(databaseUrl: string, user: BenchUser): Promise<void> {
  await asSuperuser(databaseUrl, async (client) => {
    await client.query('delete from members where user_id = $1', [user.userId]);
    await client.query('delete from users where id = $1', [user.userId]);
  });
}

async function asSuperuser<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
