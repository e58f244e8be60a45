import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { subscribe as putOnPlan } from '../../../test/support/plan.js';
import type { Database } from '../../db/connection.js';
import { rowsOf } from '../../db/rows.js';
import { withPlatform } from '../../db/tenant-context.js';
import { type WebhookDispatcher, dispatchWebhookEvents, startWebhookDispatcher } from './dispatcher.js';
import { claimPendingEvents, fanOutEvents } from './repository.js';

/** A harness whose tenant A is on Pro (webhooks need it), with a project of its own. */
async function harnessWithProject(name: string, key: string): Promise<{ h: ApiHarness; projectId: string }> {
  const h = await createApiHarness();
  await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
  const project = await h.request(h.tenantA.actors.owner, 'POST', `/api/v1/orgs/${h.tenantA.organizationId}/projects`, { name, key });
  return { h, projectId: ((await project.json()) as { id: string }).id };
}

/** Each test starts with no subscription in tenant A and no pending event. */
async function forgetSubscriptions(h: ApiHarness): Promise<void> {
  await h.test.db.query(`delete from webhooks where organization_id = $1`, [h.tenantA.organizationId]);
  await h.test.db.query(`delete from webhook_outbox`);
}

/**
 * A change records its webhook event per subscriber (webhook_outbox) and the dispatcher turns each
 * into a delivery and a job: exactly once, whether two dispatchers race or one dies mid-way.
 */
describe('webhook dispatcher', () => {
  let h: ApiHarness;
  let projectId = '';
  const org = () => h.tenantA.organizationId;
  const orgPath = () => `/api/v1/orgs/${org()}`;

  beforeAll(async () => {
    ({ h, projectId } = await harnessWithProject('Dispatch', 'DSP'));
  });
  afterAll(() => h.destroy());
  beforeEach(() => forgetSubscriptions(h));

  const subscribeTo = async (events: string[], status = 'active') => {
    const [row] = await h.test.db.query<{ id: string }>(
      `insert into webhooks (organization_id, url, events, secret_ciphertext, status) values ($1, 'https://hooks.example/d', $2, '\\x00', $3) returning id`,
      [org(), events, status],
    );
    if (!row) throw new Error('no subscription');
    return row.id;
  };
  /** `assigneeId` sends the create the ordinary way (announceWebhookEvent); without it, in one round trip. */
  const createTask = async (title: string, options: { ordinary?: boolean } = {}) => {
    const body = options.ordinary ? { title, assigneeId: h.tenantA.actors.member.userId } : { title };
    const response = await h.request(h.tenantA.actors.member, 'POST', `${orgPath()}/projects/${projectId}/tasks`, body);
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const pending = () =>
    h.test.db.query<{ event: string; body: string; subscription_id: string }>(`select event, body, subscription_id from webhook_outbox where organization_id = $1 order by subscription_id`, [org()]);
  const deliveriesOf = (taskId: string) =>
    h.test.db.query<{ subscription_id: string; body: string; jobs: number }>(
      `select d.subscription_id, d.body, (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d
        where d.organization_id = $1 and d.event = 'task.created' and d.body::json -> 'data' ->> 'id' = $2 order by d.subscription_id`,
      [org(), taskId],
    );
  const sorted = (ids: string[]) => [...ids].sort();

  it('writes no body when no active subscription wants the event, on either create path', async () => {
    await subscribeTo(['task.updated']);
    await subscribeTo(['task.created'], 'disabled');
    const oneTrip = await createTask('Unheard, one trip');
    const ordinary = await createTask('Unheard, ordinary', { ordinary: true });
    expect(await pending()).toEqual([]);
    expect(await dispatchWebhookEvents(h.test.db)).toBe(0);
    expect(await deliveriesOf(oneTrip)).toEqual([]);
    expect(await deliveriesOf(ordinary)).toEqual([]);
  });

  it('records the event for each subscriber of the moment of the change, with the body of that moment', async () => {
    const first = await subscribeTo(['task.created']);
    const second = await subscribeTo(['task.created', 'task.updated']);
    const id = await createTask('As created', { ordinary: true });
    const recorded = await pending();
    expect(recorded.map((r) => r.subscription_id)).toEqual(sorted([first, second]));
    for (const row of recorded) expect(row.event).toBe('task.created');
    // Changed, and a third subscriber added, before the dispatcher runs: neither reaches this event.
    const patched = await h.request(h.tenantA.actors.member, 'PATCH', `${orgPath()}/tasks/${id}`, { title: 'Renamed later' });
    expect(patched.status).toBe(200);
    await subscribeTo(['task.created']);
    await dispatchWebhookEvents(h.test.db);
    const deliveries = await deliveriesOf(id);
    expect(deliveries.map((d) => d.subscription_id)).toEqual(sorted([first, second]));
    for (const delivery of deliveries) {
      expect(delivery.jobs).toBe(1);
      expect(JSON.parse(delivery.body)).toMatchObject({ event: 'task.created', data: { id, title: 'As created' } });
    }
    expect(await pending()).toEqual([]);
  });

  it('leaves the events of a dispatcher that dies mid-way to the next one, which delivers each once', async () => {
    const subscription = await subscribeTo(['task.created']);
    const id = await createTask('Survives a crash');
    let claimed = 0;
    const killed = withPlatform(h.test.db, {}, async (tx) => {
      const events = await claimPendingEvents(tx, org(), 100);
      claimed = events.length;
      await fanOutEvents(tx, org(), events);
      if (engine === 'postgres') {
        // The process dies: its connection goes, and the server rolls its transaction back.
        const [self] = rowsOf<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`));
        await h.test.db.query('select pg_terminate_backend($1)', [self?.pid]);
        await tx.execute(sql`select 1`);
      }
      throw new Error('killed mid-way');
    });
    // On PostgreSQL the dead connection fails the statement after the kill and the ROLLBACK.
    await expect(killed).rejects.toThrow(engine === 'postgres' ? /terminat|rollback/i : 'killed mid-way');
    expect(claimed).toBe(1);
    expect(await pending()).toHaveLength(1);
    expect(await deliveriesOf(id)).toEqual([]);
    expect(await dispatchWebhookEvents(h.test.db)).toBe(1);
    expect(await dispatchWebhookEvents(h.test.db)).toBe(0);
    expect(await deliveriesOf(id)).toMatchObject([{ subscription_id: subscription, jobs: 1 }]);
  });

  // PGlite is one connection: a second transaction waits for the first, so there is no race to run.
  it.skipIf(engine !== 'postgres')('lets a second dispatcher skip the events a first one holds, so two processes deliver each once', async () => {
    await subscribeTo(['task.created']);
    await subscribeTo(['task.created']);
    const ids = [await createTask('Raced one'), await createTask('Raced two', { ordinary: true })];
    const held = resolvable<void>();
    const claimed = resolvable<number>();
    const first = withPlatform(h.test.db, {}, async (tx) => {
      const events = await claimPendingEvents(tx, org(), 100);
      const queued = await fanOutEvents(tx, org(), events);
      claimed.resolve(events.length);
      await held.promise;
      return queued;
    });
    expect(await claimed.promise).toBe(4);
    // Meanwhile another process's dispatcher runs: it must not take what the first holds.
    expect(await dispatchWebhookEvents(h.test.db)).toBe(0);
    held.resolve();
    expect(await first).toBe(4);
    expect(await dispatchWebhookEvents(h.test.db)).toBe(0);
    for (const id of ids) expect((await deliveriesOf(id)).map((d) => d.jobs)).toEqual([1, 1]);
  });
});

/**
 * A process's dispatcher fans out only what it heard of (the recording statement NOTIFYs the
 * organization on commit), and every organization once per fallback period: prompt when the
 * NOTIFY arrives, nothing lost when it does not, and no statement at all when idle.
 */
describe('webhook dispatcher woken by NOTIFY', () => {
  let h: ApiHarness;
  let projectId = '';
  const started: WebhookDispatcher[] = [];
  const org = () => h.tenantA.organizationId;
  const orgPath = () => `/api/v1/orgs/${org()}`;

  beforeAll(async () => {
    ({ h, projectId } = await harnessWithProject('Woken', 'WKN'));
  });
  afterAll(() => h.destroy());
  beforeEach(() => forgetSubscriptions(h));
  afterEach(async () => {
    await Promise.all(started.splice(0).map((dispatcher) => dispatcher.close()));
  });

  /** A dispatcher as a server process runs one, listening, its first look at every organization done. */
  const start = async (db: Database, options: { fallbackMs: number; now?: () => number }) => {
    const dispatcher = startWebhookDispatcher(db, options);
    started.push(dispatcher);
    await dispatcher.ready;
    await dispatcher.dispatch();
    return dispatcher;
  };
  const subscribe = async () => {
    const [row] = await h.test.db.query<{ id: string }>(
      `insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/w', array['task.created'], '\\x00') returning id`,
      [org()],
    );
    if (!row) throw new Error('no subscription');
    return row.id;
  };
  const createTask = async (title: string, options: { ordinary?: boolean } = {}) => {
    const body = options.ordinary ? { title, assigneeId: h.tenantA.actors.member.userId } : { title };
    const response = await h.request(h.tenantA.actors.member, 'POST', `${orgPath()}/projects/${projectId}/tasks`, body);
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const deliveriesOf = (taskId: string) =>
    h.test.db.query<{ jobs: number }>(
      `select (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.body::json -> 'data' ->> 'id' = $2`,
      [org(), taskId],
    );
  const pending = async () => (await h.test.db.query<{ n: number }>(`select count(*)::int as n from webhook_outbox where organization_id = $1`, [org()]))[0]?.n;
  /** Calls `dispatch` of each until they have queued `expected` deliveries in all (at most 5 s: the fallback is an hour away). */
  const dispatchUntil = async (dispatchers: WebhookDispatcher[], expected: number) => {
    let queued = 0;
    for (const deadline = Date.now() + 5_000; queued < expected && Date.now() < deadline; ) {
      const counts = await Promise.all(dispatchers.map((dispatcher) => dispatcher.dispatch()));
      queued += counts.reduce((sum, n) => sum + n, 0);
      if (queued < expected) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return queued;
  };
  const HOUR = 3_600_000;

  it('delivers an event as soon as its NOTIFY is heard, on both create paths, the fallback an hour away', async () => {
    const dispatcher = await start(h.test.db, { fallbackMs: HOUR });
    await subscribe();
    const oneTrip = await createTask('Heard, one trip');
    expect(await dispatchUntil([dispatcher], 1)).toBe(1);
    expect(await deliveriesOf(oneTrip)).toEqual([{ jobs: 1 }]);
    const ordinary = await createTask('Heard, ordinary', { ordinary: true });
    expect(await dispatchUntil([dispatcher], 1)).toBe(1);
    expect(await deliveriesOf(ordinary)).toEqual([{ jobs: 1 }]);
    expect(await pending()).toBe(0);
  });

  it('runs no statement when it heard nothing, and delivers an event whose NOTIFY it missed at the fallback', async () => {
    let now = 0;
    let statements = 0;
    // The database as the dispatcher sees it, counting every use of a connection.
    const counted = new Proxy(h.test.db, {
      get(target, property, receiver) {
        if (property === 'orm' || property === 'session' || property === 'pipeline' || property === 'query') statements += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const dispatcher = await start(counted, { fallbackMs: 30_000, now: () => now });
    const subscription = await subscribe();
    // Recorded without a NOTIFY: as if this process's connection had been down when it came.
    await h.test.db.query(`insert into webhook_outbox (organization_id, subscription_id, event, body) values ($1, $2, 'task.created', '{}')`, [org(), subscription]);
    statements = 0;
    now = 29_999;
    expect(await dispatcher.dispatch()).toBe(0);
    expect(statements).toBe(0);
    expect(await pending()).toBe(1);
    now = 30_000;
    expect(await dispatcher.dispatch()).toBe(1);
    expect(statements).toBeGreaterThan(0);
    expect(await pending()).toBe(0);
  });

  it('wakes every process that listens, and two processes woken by one event deliver it once', async () => {
    const processes = [await start(h.test.db, { fallbackMs: HOUR }), await start(h.test.db, { fallbackMs: HOUR })];
    await subscribe();
    await subscribe();
    // Each process alone hears an event and fans it out (two subscribers: two deliveries).
    for (const dispatcher of processes) {
      const id = await createTask('Heard by one');
      expect(await dispatchUntil([dispatcher], 2)).toBe(2);
      expect(await deliveriesOf(id)).toEqual([{ jobs: 1 }, { jobs: 1 }]);
    }
    // Both hear the next one and race for it.
    const raced = await createTask('Heard by both');
    expect(await dispatchUntil(processes, 2)).toBe(2);
    expect(await Promise.all(processes.map((dispatcher) => dispatcher.dispatch()))).toEqual([0, 0]);
    expect(await deliveriesOf(raced)).toEqual([{ jobs: 1 }, { jobs: 1 }]);
  });
});

/** A promise and the function that settles it (Node 20 has no Promise.withResolvers). */
function resolvable<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
