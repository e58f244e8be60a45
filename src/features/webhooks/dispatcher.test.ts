import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { subscribe as putOnPlan } from '../../../test/support/plan.js';
import { rowsOf } from '../../db/rows.js';
import { withPlatform } from '../../db/tenant-context.js';
import { dispatchWebhookEvents } from './dispatcher.js';
import { claimPendingEvents, fanOutEvents } from './repository.js';

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
    h = await createApiHarness();
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    const project = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Dispatch', key: 'DSP' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  beforeEach(async () => {
    await h.test.db.query(`delete from webhooks where organization_id = $1`, [org()]);
    await h.test.db.query(`delete from webhook_outbox`);
  });

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

/** A promise and the function that settles it (Node 20 has no Promise.withResolvers). */
function resolvable<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
