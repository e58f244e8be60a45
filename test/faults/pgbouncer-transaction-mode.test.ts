import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../src/auth/auth.js';
import { generateMasterKey } from '../../src/crypto/envelope.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator/runner.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import { seedDemo } from '../../src/seed/demo.js';
import { type TestDatabase, createTestDatabase, engine } from '../support/database.js';
import { type Outcome, type RequestSpec, isRecord, latencies, signIn, statusCounts, timedRequest } from './http.js';
import { findInvariantViolations } from './invariants.js';
import { DEMO_OWNERS } from './load.js';
import { type PgBouncer, pgbouncerBinary, startPgBouncer } from './pgbouncer-process.js';

/**
 * The app behind PgBouncer in transaction mode with a pool of two server connections, hit by
 * two tenants at a concurrency of 20: each transaction may land on a connection the other
 * tenant used a moment ago, so any tenant state that outlived its transaction would show up as
 * the other tenant's rows (or as none). withTenant sets role and tenant with SET LOCAL
 * for exactly this. Migrations and the demo seed run directly against PostgreSQL, as they would
 * in a deployment (they hold a session-level advisory lock and SET ROLE).
 */
const skipReason =
  engine === 'pglite' ? 'PGlite engine (no DATABASE_URL)' : pgbouncerBinary() === null ? 'pgbouncer not installed (apt-get install pgbouncer)' : null;

// About 10 ms of CPU each (session lookup, two tenant transactions): a thousand keeps the test well under a minute on a busy machine.
const REQUESTS = 1_000;
const CONCURRENCY = 20;
const POOL_SIZE = 2;

type TenantUnderTest = {
  slug: 'acme' | 'globex';
  organizationId: string;
  token: string;
  projectIds: string[];
  /** Live task ids of each project as seeded; the write project gets more during the run. */
  tasksByProject: Map<string, string[]>;
  writeProjectId: string;
};

describe.skipIf(skipReason !== null)(`PgBouncer in transaction mode${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let test: TestDatabase | undefined;
  let bouncer: PgBouncer | undefined;
  let appDb: Database | undefined;
  let server: ServerType | undefined;
  let dataDir = '';
  let baseUrl = '';
  let tenants: TenantUnderTest[] = [];

  beforeAll(async () => {
    test = await createTestDatabase();
    const masterKey = generateMasterKey();
    await migrate(test.db);
    await seedDemo(test.db, { production: false, masterKey });
    if (!test.url) throw new Error('a PostgreSQL test database has a URL');
    bouncer = await startPgBouncer({ target: test.url, poolMode: 'transaction', poolSize: POOL_SIZE });

    // What src/main.ts builds, minus init, with DATABASE_URL pointing at PgBouncer.
    // PgBouncer 1.18 (Debian 12) cannot follow named statements across server connections.
    appDb = await openDatabase({ kind: 'postgres', url: bouncer.url, preparedStatements: false }, { maxConnections: 20 });
    const auth = createAuth({ db: appDb, secret: randomBytes(32).toString('hex'), baseUrl: 'http://127.0.0.1', signInPerMinute: 0 });
    dataDir = mkdtempSync(join(tmpdir(), 'tenantry-pgbouncer-app-'));
    const app = createApp({ db: appDb, auth, logger: createLogger('silent'), masterKey, dataDir });
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    server = listening;
    await new Promise<void>((done) => (listening.listening ? done() : listening.once('listening', () => done())));
    const address = listening.address();
    if (address === null || typeof address === 'string') throw new Error('the server is not listening on TCP');
    baseUrl = `http://127.0.0.1:${address.port}`;

    const db = test.db;
    tenants = await Promise.all(
      (['acme', 'globex'] as const).map(async (slug) => {
        const rows = await db.query<{ organization_id: string; project_id: string; task_ids: string[] }>(
          `select o.id as organization_id, p.id as project_id,
                  coalesce(array_agg(t.id order by t.id) filter (where t.id is not null), '{}') as task_ids
             from organizations o
             join projects p on p.organization_id = o.id and p.deleted_at is null
             left join tasks t on t.organization_id = p.organization_id and t.project_id = p.id and t.deleted_at is null
            where o.slug = $1
            group by o.id, p.id order by p.id`,
          [slug],
        );
        const [first] = rows;
        if (!first) throw new Error(`demo organization ${slug} has no projects`);
        const { token } = await signIn(baseUrl, DEMO_OWNERS[slug].email, DEMO_OWNERS[slug].password);
        return {
          slug,
          organizationId: first.organization_id,
          token,
          projectIds: rows.map((row) => row.project_id),
          tasksByProject: new Map(rows.map((row) => [row.project_id, row.task_ids])),
          writeProjectId: first.project_id,
        };
      }),
    );
  }, 120_000);

  afterAll(async () => {
    if (server) {
      const closing = server;
      await new Promise<void>((done) => closing.close(() => done()));
    }
    await appDb?.close().catch(() => undefined);
    await bouncer?.destroy();
    await test?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`serves ${REQUESTS} interleaved requests of two tenants over ${POOL_SIZE} server connections: no 5xx, no other tenant's rows`, async () => {
    if (!test || !bouncer) throw new Error('set-up did not finish');
    for (const tenant of tenants) expect([...tenant.tasksByProject.values()].flat().length).toBeGreaterThan(0);

    const kinds = ['list-projects', 'list-tasks', 'get-task', 'list-tasks', 'get-task', 'list-projects', 'list-tasks', 'update-task', 'list-tasks', 'create-task'] as const;
    const planned = Array.from({ length: REQUESTS }, (_, i) => plan(i));
    function plan(i: number): { tenant: TenantUnderTest; kind: (typeof kinds)[number]; spec: RequestSpec; projectId: string | null; taskId: string | null } {
      const tenant = tenants[i % 2];
      const kind = kinds[Math.floor(i / 2) % kinds.length];
      if (!tenant || !kind) throw new Error('plan out of range');
      const base = `/api/v1/orgs/${tenant.organizationId}`;
      const turn = Math.floor(i / 2);
      const projectId = tenant.projectIds[turn % tenant.projectIds.length] ?? tenant.writeProjectId;
      const seededTasks = [...tenant.tasksByProject.values()].flat();
      const taskId = seededTasks[turn % seededTasks.length] ?? null;
      switch (kind) {
        case 'list-projects':
          return { tenant, kind, projectId: null, taskId: null, spec: { label: `${tenant.slug} ${kind}`, method: 'GET', path: `${base}/projects?includeArchived=true&limit=100` } };
        case 'list-tasks':
          return { tenant, kind, projectId, taskId: null, spec: { label: `${tenant.slug} ${kind}`, method: 'GET', path: `${base}/projects/${projectId}/tasks?limit=100` } };
        case 'get-task':
          return { tenant, kind, projectId: null, taskId, spec: { label: `${tenant.slug} ${kind}`, method: 'GET', path: `${base}/tasks/${taskId}` } };
        case 'update-task':
          return {
            tenant, kind, projectId: null, taskId,
            spec: { label: `${tenant.slug} ${kind}`, method: 'PATCH', path: `${base}/tasks/${taskId}`, body: { title: `renamed through pgbouncer ${i}` } },
          };
        case 'create-task':
          return {
            tenant, kind, projectId: tenant.writeProjectId, taskId: null,
            spec: { label: `${tenant.slug} ${kind}`, method: 'POST', path: `${base}/projects/${tenant.writeProjectId}/tasks`, body: { title: `through pgbouncer ${i}` } },
          };
      }
    }

    const monitor = new pg.Client({ connectionString: adminConsoleUrl(bouncer.url) });
    await monitor.connect();
    const pools = { maxServerConnections: 0, maxClientsWaiting: 0, samples: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await monitor.query<Record<string, string>>('SHOW POOLS');
        for (const row of rows.filter((r) => r.database === databaseName(bouncer?.url ?? ''))) {
          const servers = ['sv_active', 'sv_idle', 'sv_used', 'sv_tested', 'sv_login'].reduce((sum, key) => sum + Number(row[key] ?? 0), 0);
          pools.maxServerConnections = Math.max(pools.maxServerConnections, servers);
          pools.maxClientsWaiting = Math.max(pools.maxClientsWaiting, Number(row.cl_waiting ?? 0));
        }
        pools.samples++;
        await new Promise((done) => setTimeout(done, 20));
      }
    })();

    const outcomes: Outcome[] = new Array<Outcome>(REQUESTS);
    let next = 0;
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < REQUESTS) {
            const index = next++;
            const item = planned[index];
            if (!item) break;
            outcomes[index] = await timedRequest(baseUrl, item.tenant.token, item.spec, 30_000);
          }
        }),
      );
    } finally {
      sampling = false;
      await sampler;
      await monitor.end();
    }
    const elapsedMs = Math.round(performance.now() - started);

    // Every row in every response must be the caller's own, and lists must be complete.
    const problems: string[] = [];
    const seen = new Map<string, Set<string>>(tenants.map((t) => [t.organizationId, new Set<string>()]));
    for (const [index, outcome] of outcomes.entries()) {
      const item = planned[index];
      if (!item) continue;
      const expectedStatus = item.kind === 'create-task' ? 201 : 200;
      if (outcome.status !== expectedStatus) {
        problems.push(`${outcome.label}: ${outcome.status} ${outcome.failure ?? JSON.stringify(outcome.body).slice(0, 300)}`);
        continue;
      }
      const rows = isRecord(outcome.body) && Array.isArray(outcome.body.items) ? outcome.body.items : [outcome.body];
      const ids: string[] = [];
      for (const row of rows) {
        if (!isRecord(row) || typeof row.id !== 'string') {
          problems.push(`${outcome.label}: a row without an id`);
          continue;
        }
        if (row.organizationId !== item.tenant.organizationId) {
          problems.push(`${outcome.label}: row ${row.id} of organization ${String(row.organizationId)}`);
        }
        ids.push(row.id);
        seen.get(item.tenant.organizationId)?.add(row.id);
      }
      const expected =
        item.kind === 'list-projects'
          ? item.tenant.projectIds
          : item.kind === 'list-tasks' && item.projectId !== item.tenant.writeProjectId
            ? (item.tenant.tasksByProject.get(item.projectId ?? '') ?? [])
            : null;
      if (expected && [...ids].sort().join() !== [...expected].sort().join()) {
        problems.push(`${outcome.label}: ${ids.length} row(s), expected exactly the tenant's ${expected.length}`);
      }
      if ((item.kind === 'get-task' || item.kind === 'update-task') && ids[0] !== item.taskId) problems.push(`${outcome.label}: asked for ${item.taskId}, got ${ids[0]}`);
    }

    // Whatever was seen by one tenant must belong to it in the database (created rows included).
    const owners = await test.db.query<{ id: string; organization_id: string }>(
      `select id, organization_id from projects union all select id, organization_id from tasks`,
    );
    const ownerOf = new Map(owners.map((row) => [row.id, row.organization_id]));
    for (const [organizationId, ids] of seen) {
      for (const id of ids) {
        if (ownerOf.get(id) !== organizationId) problems.push(`organization ${organizationId} was shown ${id}, which belongs to ${ownerOf.get(id) ?? 'nobody'}`);
      }
    }

    console.info(
      `pgbouncer transaction mode: ${JSON.stringify({
        requests: outcomes.length, concurrency: CONCURRENCY, poolSize: POOL_SIZE, elapsedMs,
        statuses: statusCounts(outcomes), latencyMs: latencies(outcomes), ...pools,
      })}`,
    );
    expect(problems.slice(0, 30), bouncer.log().slice(-3_000)).toEqual([]);
    expect(outcomes.filter((o) => o.status >= 500 || o.status === 0)).toHaveLength(0);
    // The point of the exercise: 20 clients really did share 2 server connections.
    expect(pools.maxServerConnections).toBeLessThanOrEqual(POOL_SIZE);
    expect(pools.maxClientsWaiting).toBeGreaterThan(0);
    expect(await findInvariantViolations(test.db)).toEqual([]);
  }, 60_000);
});

/** PgBouncer's admin console: the same server, the virtual database `pgbouncer`. */
function adminConsoleUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/pgbouncer';
  return parsed.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}
