import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../../src/db/admin.js';
import { engine, serverUrl } from '../support/database.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { signIn } from './http.js';
import { DEMO_OWNERS, waitFor } from './load.js';

/**
 * Several server processes on one PostgreSQL, as WEB_CONCURRENCY or several machines run them.
 * Each keeps resolved sessions for 5 s (src/http/session-cache.ts); a sign-out through one must
 * still be refused by every other at once, which the LISTEN/NOTIFY session events provide.
 */
const skipReason = engine === 'pglite' ? 'PGlite engine (no DATABASE_URL)' : null;

describe.skipIf(skipReason !== null)(`server processes sharing one database${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let url = '';
  const servers: ServerProcess[] = [];
  let superuser: pg.Client | undefined;
  // Both processes must accept each other's tokens, as the processes of one deployment do.
  const env = { BETTER_AUTH_SECRET: randomBytes(32).toString('hex'), WEB_CONCURRENCY: '1' };

  beforeAll(async () => {
    const base = new URL(serverUrl ?? '');
    base.pathname = `/tenantry_test_${randomBytes(6).toString('hex')}`;
    url = base.toString();
    // The first initialises the database; the second finds it current.
    servers.push(await startServerProcess({ databaseUrl: url, readyTimeoutMs: 120_000, env }));
    servers.push(await startServerProcess({ databaseUrl: url, readyTimeoutMs: 60_000, env }));
    superuser = new pg.Client({ connectionString: url });
    await superuser.connect();
  }, 200_000);

  afterAll(async () => {
    await superuser?.end();
    for (const server of servers) await server.destroy();
    if (url) await dropDatabase(url);
  });

  // A new connection each time (no keep-alive agent), so the cluster hands requests to different processes.
  const organizations = (server: ServerProcess, token: string) =>
    new Promise<number | undefined>((done, fail) => {
      get(`${server.baseUrl}/api/v1/organizations`, { agent: false, headers: { authorization: `Bearer ${token}` } }, (response) => {
        response.resume();
        response.once('end', () => done(response.statusCode));
      }).once('error', fail);
    });
  const signOut = async (server: ServerProcess, token: string) => {
    const response = await fetch(`${server.baseUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    await response.body?.cancel();
    return response.status;
  };
  const asSuperuser = () => {
    if (!superuser) throw new Error('set-up did not finish');
    return superuser;
  };
  const listeners = async () => {
    const { rows } = await asSuperuser().query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and application_name = 'tenantry-session-events'",
    );
    return rows.map((row) => row.pid);
  };

  it('refuses a token in every process as soon as it is signed out through one', async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error('set-up did not finish');
    expect(await listeners()).toHaveLength(2);
    const { token } = await signIn(a.baseUrl, DEMO_OWNERS.acme.email, DEMO_OWNERS.acme.password);
    // Resolved, and so cached, by both processes.
    expect(await organizations(a, token)).toBe(200);
    expect(await organizations(b, token)).toBe(200);
    expect(await signOut(a, token)).toBe(200);
    // No pause: B answered 200 from its cache a moment ago, and must not any more.
    expect(await organizations(b, token)).toBe(401);
    expect(await organizations(a, token)).toBe(401);
  });

  it('hears sign-outs again after its listening connection was cut, as by a database restart', async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error('set-up did not finish');
    const before = await listeners();
    await asSuperuser().query('select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1)', [before]);
    // Both reconnect by themselves, on new backends.
    expect(await waitFor(async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    }, 15_000, 100)).toBe(true);
    const { token } = await signIn(b.baseUrl, DEMO_OWNERS.globex.email, DEMO_OWNERS.globex.password);
    expect(await organizations(a, token)).toBe(200);
    expect(await organizations(b, token)).toBe(200);
    expect(await signOut(b, token)).toBe(200);
    expect(await organizations(a, token)).toBe(401);
  });

  it("counts one client's password-reset requests once across processes: Better Auth's 3 a minute hold for the deployment", async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error('set-up did not finish');
    const requestReset = async (server: ServerProcess) => {
      const response = await fetch(`${server.baseUrl}/api/auth/request-password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_OWNERS.acme.email, redirectTo: '/reset-password' }),
      });
      await response.body?.cancel();
      return response.status;
    };
    // Both processes see the same client (127.0.0.1); each alone has seen at most two requests.
    expect([await requestReset(a), await requestReset(a), await requestReset(b)]).toEqual([200, 200, 200]);
    expect(await requestReset(b)).toBe(429);
    expect(await requestReset(a)).toBe(429);
  });

  it('serves from WEB_CONCURRENCY processes on one port, each listening for itself, and drains them all on SIGTERM', async () => {
    const before = (await listeners()).length;
    const cluster = await startServerProcess({ databaseUrl: url, readyTimeoutMs: 60_000, env: { ...env, WEB_CONCURRENCY: '2' } });
    servers.push(cluster);
    expect(await waitFor(async () => (await listeners()).length === before + 2, 30_000, 100)).toBe(true);
    const { token } = await signIn(cluster.baseUrl, DEMO_OWNERS.acme.email, DEMO_OWNERS.acme.password);
    // Requests spread over both processes; each caches the session, and one sign-out ends it in both.
    for (let i = 0; i < 6; i++) expect(await organizations(cluster, token)).toBe(200);
    expect(await signOut(cluster, token)).toBe(200);
    for (let i = 0; i < 6; i++) expect(await organizations(cluster, token)).toBe(401);
    const exit = await cluster.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await waitFor(async () => (await listeners()).length === before, 10_000, 100)).toBe(true);
  });
});

describe('WEB_CONCURRENCY on the embedded PGlite', () => {
  it('serves from one process and says why', async () => {
    const server = await startServerProcess({ databaseUrl: undefined, readyTimeoutMs: 180_000, env: { WEB_CONCURRENCY: '3', LOG_LEVEL: 'warn' } });
    try {
      expect(server.output()).toContain('WEB_CONCURRENCY=3 ignored: the embedded PGlite belongs to a single process');
      expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await server.destroy();
    }
  }, 200_000);
});
