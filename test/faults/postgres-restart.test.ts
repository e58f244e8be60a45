import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { engine } from '../support/database.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { type ThrowawayCluster, startThrowawayCluster, throwawayClusterUnavailable } from '../support/throwaway-cluster.js';
import { type Outcome, isRecord, latencies, signIn, statusCounts } from './http.js';
import { findInvariantViolations } from './invariants.js';
import { DEMO_OWNERS, type DemoTenant, demoOrganization, sleep, startLoad, waitFor } from './load.js';

/**
 * PostgreSQL goes away under a running server and comes back. The server runs as `npm start`
 * does (a child process) on a throwaway cluster, never the shared one, because this test stops
 * the cluster it runs on.
 */
const skipReason = engine === 'pglite' ? 'PGlite engine (no DATABASE_URL)' : throwawayClusterUnavailable();

const OUTAGE_MS = 3_000;
/** A request during the outage must be answered within this; a pool waiting on a dead server would not be. */
const FAIL_FAST_MS = 2_000;
/** After PostgreSQL accepts connections again, requests must succeed within this, with no server restart. */
const RECOVERY_MS = 5_000;

describe.skipIf(skipReason !== null)(`PostgreSQL restarted during load${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let cluster: ThrowawayCluster | undefined;
  let server: ServerProcess | undefined;
  let db: Database | undefined;
  let tenants: DemoTenant[] = [];

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    const url = cluster.urlFor('tenantry');
    server = await startServerProcess({ databaseUrl: url, readyTimeoutMs: 90_000 });
    db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 2 });
    const baseUrl = server.baseUrl;
    const database = db;
    tenants = await Promise.all(
      (['acme', 'globex'] as const).map(async (slug) => {
        const { organizationId, projectId } = await demoOrganization(database, slug);
        const { token } = await signIn(baseUrl, DEMO_OWNERS[slug].email, DEMO_OWNERS[slug].password);
        return { slug, organizationId, projectId, token };
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await server?.destroy();
    await cluster?.destroy();
  });

  it('answers 503 fast while PostgreSQL is down (shut down, then crashed), recovers without a restart, and loses or half-writes nothing', async () => {
    if (!cluster || !server || !db) throw new Error('set-up did not finish');
    const serving = server;
    const kinds = ['list-tasks', 'list-projects', 'create-task'] as const;
    const load = startLoad(server.baseUrl, {
      // Two tenants × three kinds of request, one worker each.
      workers: 6,
      pauseMs: 40,
      maxRequests: 4_000,
      timeoutMs: 15_000,
      next: (sequence, worker) => {
        const tenant = tenants[worker % 2];
        const kind = kinds[Math.floor(worker / 2) % kinds.length];
        if (!tenant || !kind) throw new Error('worker out of range');
        const base = `/api/v1/orgs/${tenant.organizationId}`;
        if (kind === 'list-projects') return { token: tenant.token, label: `${tenant.slug} ${kind}`, method: 'GET', path: `${base}/projects` };
        if (kind === 'list-tasks') {
          return { token: tenant.token, label: `${tenant.slug} ${kind}`, method: 'GET', path: `${base}/projects/${tenant.projectId}/tasks?limit=20` };
        }
        return {
          token: tenant.token,
          label: `${tenant.slug} ${kind}`,
          method: 'POST',
          path: `${base}/projects/${tenant.projectId}/tasks`,
          body: { title: `outage load ${sequence}` },
        };
      },
    });

    const outages: Outage[] = [];
    let outcomes: Outcome[] = [];
    try {
      await sleep(1_500);
      // A clean fast shutdown first, then a crash (immediate: no checkpoint, WAL replay on start).
      for (const mode of ['fast', 'immediate'] as const) {
        const outage: Outage = { mode, begin: performance.now(), down: 0, restartBegin: 0, restartReady: 0 };
        outages.push(outage);
        await cluster.stop(mode);
        outage.down = performance.now();
        await sleep(OUTAGE_MS);
        outage.restartBegin = performance.now();
        await cluster.start();
        outage.restartReady = performance.now();
        // Keep the stream going until 30 requests in a row succeeded after the restart (bounded).
        // A server that died will not recover: stop waiting, the assertions below say why.
        await waitFor(() => {
          const tail = load.outcomes.filter((o) => o.startedAt >= outage.restartReady).slice(-30);
          return !serving.running() || (tail.length === 30 && tail.every(ok));
        }, 15_000);
        if (!server.running()) break;
        await sleep(1_000);
      }
    } finally {
      outcomes = await load.stop();
    }

    const before = outcomes.filter((o) => o.endedAt < (outages[0]?.begin ?? 0));
    const measured = outages.map((outage, index) => {
      const during = outcomes.filter((o) => o.startedAt >= outage.down && o.endedAt <= outage.restartBegin);
      const nextBegin = outages[index + 1]?.begin ?? Number.POSITIVE_INFINITY;
      const afterRestart = outcomes.filter((o) => o.startedAt >= outage.restartReady && o.endedAt < nextBegin);
      const lastFailure = Math.max(outage.restartReady, ...afterRestart.filter((o) => !ok(o)).map((o) => o.startedAt));
      return {
        mode: outage.mode,
        during,
        recovered: afterRestart.filter((o) => o.startedAt > lastFailure),
        summary: {
          stopTookMs: Math.round(outage.down - outage.begin),
          startTookMs: Math.round(outage.restartReady - outage.restartBegin),
          outageLatencyMs: latencies(during),
          recoveryMs: Math.round(lastFailure - outage.restartReady),
        },
      };
    });
    console.info(
      `postgres restart under load: ${JSON.stringify({
        requests: outcomes.length,
        statuses: statusCounts(outcomes),
        normalLatencyMs: latencies(before),
        outages: measured.map((m) => ({ mode: m.mode, ...m.summary, succeededAfterRecovery: m.recovered.length })),
      })}`,
    );

    // The same process serves before, during and after: an outage must not take the server down.
    expect(server.running(), `the server exited during an outage:\n${server.output().slice(-3_000)}`).toBe(true);
    // Nothing but success or a clean 503: no 500, no hang, no dropped connection.
    expect(firstFew(outcomes.filter((o) => !ok(o) && o.status !== 503))).toEqual({ count: 0, first: [] });
    expect(firstFew(outcomes.filter((o) => o.status === 503 && !(isRecord(o.body) && isRecord(o.body.error) && o.code === 'unavailable')))).toEqual({
      count: 0,
      first: [],
    });

    expect(before.length).toBeGreaterThan(10);
    expect(firstFew(before.filter((o) => !ok(o)))).toEqual({ count: 0, first: [] });

    for (const { mode, during, recovered, summary } of measured) {
      expect(during.length, mode).toBeGreaterThan(20);
      expect(firstFew(during.filter((o) => o.status !== 503)), mode).toEqual({ count: 0, first: [] });
      expect(summary.outageLatencyMs.max, mode).toBeLessThan(FAIL_FAST_MS);
      expect(summary.recoveryMs, mode).toBeLessThan(RECOVERY_MS);
      expect(recovered.length, mode).toBeGreaterThanOrEqual(30);
    }
    const ready = await fetch(`${server.baseUrl}/ready`, { signal: AbortSignal.timeout(5_000) });
    expect(ready.status).toBe(200);

    // Every acknowledged create survived; and whatever a failed request left is whole or absent.
    const acknowledged = outcomes.flatMap((o) => (o.status === 201 && isRecord(o.body) && typeof o.body.id === 'string' ? [o.body.id] : []));
    const stored = await db.query<{ id: string }>('select id from tasks where id = any($1::uuid[])', [acknowledged]);
    expect(stored.length).toBe(acknowledged.length);
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(await findInvariantViolations(db)).toEqual([]);
  }, 60_000);
});

type Outage = { mode: 'fast' | 'immediate'; begin: number; down: number; restartBegin: number; restartReady: number };

const ok = (o: Outcome) => o.status === 200 || o.status === 201;

/** How many went wrong and the first few of them, so a failure message stays readable. */
function firstFew(wrong: Outcome[]): { count: number; first: string[] } {
  return {
    count: wrong.length,
    first: wrong.slice(0, 5).map((o) => `${o.label}: ${o.status} ${o.failure ?? JSON.stringify(o.body).slice(0, 200)} after ${Math.round(o.endedAt - o.startedAt)} ms`),
  };
}
