import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../../src/db/admin.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { serverUrl } from '../support/database.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { type Outcome, signIn, timedRequest } from './http.js';
import { findInvariantViolations } from './invariants.js';
import { DEMO_OWNERS, type DemoTenant, demoOrganization, waitFor } from './load.js';

/**
 * `kill -9` of the server while a 100-task bulk create is in flight. The batch is one
 * transaction, so PostgreSQL must keep all of it (audit trail included) or none of it. A
 * trigger added to this test's own database only slows the batch down enough to aim the kill.
 * Runs on a fresh database of the shared server; only the server process is killed.
 */
const skipReason = serverUrl === null ? 'PGlite engine (no DATABASE_URL)' : null;
const BATCH = 100;
/** Per row, so the batch spends about three seconds inside the phase the kill aims at. */
const SLOW_ROW_SECONDS = 0.03;

describe.skipIf(skipReason !== null)(`server killed in the middle of a bulk create${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let url = '';
  let db: Database | undefined;
  let server: ServerProcess | undefined;
  /** Every server started, killed or not, so afterAll removes each one's data folder. */
  const servers: ServerProcess[] = [];
  let tenant: Omit<DemoTenant, 'token'> | undefined;

  beforeAll(async () => {
    const parsed = new URL(serverUrl ?? '');
    parsed.pathname = `/tenantry_test_${randomBytes(6).toString('hex')}`;
    url = parsed.toString();
    // The server creates, migrates and seeds the database itself, as `npm start` does.
    server = await startServerProcess({ databaseUrl: url, readyTimeoutMs: 90_000 });
    servers.push(server);
    db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 2 });
    tenant = { slug: 'acme', ...(await demoOrganization(db, 'acme')) };
    await db.query(
      `create function public.fault_slow_row() returns trigger language plpgsql set search_path = pg_catalog as $$
       begin perform pg_sleep(${SLOW_ROW_SECONDS}); return null; end $$`,
    );
  }, 120_000);

  afterAll(async () => {
    for (const started of servers) await started.destroy();
    await db?.close().catch(() => undefined);
    if (url) await dropDatabase(url);
  });

  /** Starts the bulk create, waits until its backend is in `phase`, SIGKILLs the server, waits for the backend to end. */
  async function killDuring(phase: 'insert' | 'commit', label: string): Promise<{ request: Outcome; tasks: number; auditInserts: number }> {
    if (!db || !server || !tenant) throw new Error('set-up did not finish');
    const { token } = await signIn(server.baseUrl, DEMO_OWNERS.acme.email, DEMO_OWNERS.acme.password);
    const items = Array.from({ length: BATCH }, (_, i) => ({ title: `${label} ${i}`, description: 'bulk create interrupted by kill -9' }));
    const inFlight = timedRequest(server.baseUrl, token, {
      label,
      method: 'POST',
      path: `/api/v1/orgs/${tenant.organizationId}/projects/${tenant.projectId}/tasks/bulk`,
      body: { items },
    });

    const pattern = phase === 'insert' ? 'insert into "tasks"%' : 'commit%';
    let backend: number | null = null;
    const reached = await waitFor(async () => {
      const [row] = await requireDb().query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and state = 'active' and query ilike $1`,
        [pattern],
      );
      backend = row?.pid ?? null;
      return backend !== null;
    }, 15_000, 20);
    expect(reached, `the batch never reached ${phase}:\n${server.output().slice(-2_000)}`).toBe(true);

    // Let part of the phase pass, so the kill lands in its middle.
    await new Promise((done) => setTimeout(done, 500));
    const exit = await server.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const request = await inFlight;

    // PostgreSQL notices the dead client when the statement ends; wait until the backend is gone.
    const gone = await waitFor(async () => (await requireDb().query('select 1 from pg_stat_activity where pid = $1', [backend])).length === 0, 20_000, 50);
    expect(gone).toBe(true);

    const [counts] = await db.query<{ tasks: number; audit_inserts: number }>(
      `select (select count(*)::int from tasks where title like $1) as tasks,
              (select count(*)::int from audit_logs
                where resource_type = 'tasks' and action = 'insert' and new_values ->> 'title' like $1) as audit_inserts`,
      [`${label} %`],
    );
    return { request, tasks: counts?.tasks ?? -1, auditInserts: counts?.audit_inserts ?? -1 };
  }

  function requireDb(): Database {
    if (!db) throw new Error('set-up did not finish');
    return db;
  }

  it('killed while the INSERT runs: none of the 100 tasks and none of their audit rows remain', async () => {
    await requireDb().query(
      `create trigger fault_slow_insert after insert on tasks for each row execute function public.fault_slow_row()`,
    );
    try {
      const result = await killDuring('insert', `killed-in-insert-${randomBytes(3).toString('hex')}`);
      console.info(`kill -9 during the INSERT: request ${result.request.status || result.request.failure}, ${result.tasks} task(s), ${result.auditInserts} audit insert(s)`);
      expect(result.request.status).toBe(0);
      expect({ tasks: result.tasks, auditInserts: result.auditInserts }).toEqual({ tasks: 0, auditInserts: 0 });
      expect(await findInvariantViolations(requireDb())).toEqual([]);
    } finally {
      await requireDb().query('drop trigger if exists fault_slow_insert on tasks');
    }
  }, 60_000);

  it('killed while the COMMIT runs: all 100 tasks with 100 audit rows, or none', async () => {
    // The first test killed the server; a new one starts on the same database (init is idempotent).
    server = await startServerProcess({ databaseUrl: url, readyTimeoutMs: 45_000 });
    servers.push(server);
    // Deferred, so the slow part runs inside COMMIT, after every row and audit row is written.
    await requireDb().query(
      `create constraint trigger fault_slow_commit after insert on tasks deferrable initially deferred
         for each row execute function public.fault_slow_row()`,
    );
    try {
      const result = await killDuring('commit', `killed-in-commit-${randomBytes(3).toString('hex')}`);
      console.info(`kill -9 during the COMMIT: request ${result.request.status || result.request.failure}, ${result.tasks} task(s), ${result.auditInserts} audit insert(s)`);
      expect(result.request.status).toBe(0);
      expect([0, BATCH]).toContain(result.tasks);
      expect(result.auditInserts).toBe(result.tasks);
      expect(await findInvariantViolations(requireDb())).toEqual([]);
    } finally {
      await requireDb().query('drop trigger if exists fault_slow_commit on tasks');
    }
  }, 60_000);
});
