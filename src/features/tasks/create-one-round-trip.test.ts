import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { subscribe as putOnPlan } from '../../../test/support/plan.js';
import { countedRequest } from '../../../test/support/round-trips.js';
import { dispatchWebhookEvents } from '../webhooks/dispatcher.js';

type Task = { id: string; ref: string; assigneeId: string | null };

/**
 * A task create sends its checks, its writes, its watch, its
 * live event and its webhook event in one database round trip; anything the checks refuse
 * is answered by the ordinary create, exactly as before.
 */
describe('tasks: a create in one database round trip', () => {
  let h: ApiHarness;
  let projectId: string;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;
  const tasksPath = () => `${orgPath()}/projects/${projectId}/tasks`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    const project = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Writes', key: 'WRT' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  beforeEach(async () => {
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    await h.test.db.query(`delete from webhooks where organization_id = $1`, [h.tenantA.organizationId]);
  });

  /** One create, its round trips counted (the session already cached). */
  const create = async (body: Record<string, unknown>, actor = h.tenantA.actors.member) => {
    const sent = await countedRequest(h, actor, `${orgPath()}/tasks/WRT-1`, 'POST', tasksPath(), body);
    return { ...sent, body: sent.body as Task & Record<string, unknown> };
  };

  const subscribeTo = (events: string[]) =>
    h.test.db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/t', $2, '\\x00')`, [
      h.tenantA.organizationId,
      events,
    ]);
  /** The task's recorded webhook events, before the dispatcher fans them out. */
  const recordedFor = (taskId: string) =>
    h.test.db.query<{ subscription_id: string }>(`select subscription_id from webhook_outbox where organization_id = $1 and body::json -> 'data' ->> 'id' = $2`, [
      h.tenantA.organizationId,
      taskId,
    ]);
  const deliveriesOf = async (taskId: string) => {
    await dispatchWebhookEvents(h.test.db);
    return h.test.db.query<{ id: string; body: string; jobs: number }>(
      `select d.id, d.body, (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.body::json -> 'data' ->> 'id' = $2`,
      [h.tenantA.organizationId, taskId],
    );
  };

  it('creates a task in one round trip, answering what a read of it answers, with its audit row, watch and live event', async () => {
    const created = await create({ title: 'One trip', description: 'no mention here', storyPoints: 2, dueDate: '2031-02-03' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (engine === 'postgres') expect(created.count).toBe(1);
    const read = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${created.body.id}`);
    expect(created.body).toEqual(await read.json());
    expect(created.body).toMatchObject({ title: 'One trip', status: 'todo', type: 'task', priority: 'medium', storyPoints: 2, dueDate: '2031-02-03' });
    expect(created.body.ref).toMatch(/^WRT-\d+$/);
    const [audit] = await h.test.db.query<{ actor_user_id: string }>(`select actor_user_id from audit_logs where resource_type = 'tasks' and resource_id = $1 and action = 'insert'`, [created.body.id]);
    expect(audit?.actor_user_id).toBe(h.tenantA.actors.member.userId);
    const watchers = await h.test.db.query(`select user_id from task_watchers where task_id = $1`, [created.body.id]);
    expect(watchers).toEqual([{ user_id: h.tenantA.actors.member.userId }]);
    const events = await h.test.db.query(`select kind from live_events where resource_id = $1`, [created.body.id]);
    expect(events).toEqual([{ kind: 'task.created' }]);
  });

  it('records the event per subscriber in the same round trip, then a delivery and its job for each, the body the task as the API shows it', async () => {
    await subscribeTo(['task.updated']);
    const none = await create({ title: 'Nobody listens' });
    expect(await recordedFor(none.body.id)).toEqual([]);
    expect(await deliveriesOf(none.body.id)).toEqual([]);
    await h.test.db.query(`delete from webhooks where organization_id = $1`, [h.tenantA.organizationId]);
    await subscribeTo(['task.created']);
    await subscribeTo(['task.created', 'task.updated']);
    await subscribeTo(['task.updated']);
    const heard = await create({ title: 'Two listen' });
    if (engine === 'postgres') expect(heard.count).toBe(1);
    expect(await recordedFor(heard.body.id)).toHaveLength(2);
    const deliveries = await deliveriesOf(heard.body.id);
    expect(await recordedFor(heard.body.id)).toEqual([]);
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      expect(delivery.jobs).toBe(1);
      const body = JSON.parse(delivery.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['event', 'organizationId', 'occurredAt', 'data']);
      expect(body).toMatchObject({ event: 'task.created', organizationId: h.tenantA.organizationId });
      expect(new Date(body.occurredAt as string).toISOString()).toBe(body.occurredAt);
      // Key for key and value for value what the API answered, timestamps to the millisecond.
      expect(Object.keys(body.data as object)).toEqual(Object.keys(heard.body));
      expect(body.data).toEqual(heard.body);
    }
  });

  it('answers a refused create the ordinary way, having written nothing', async () => {
    const before = await h.test.db.query<{ n: number }>(`select count(*)::int as n from tasks where project_id = $1`, [projectId]);
    const viewer = await create({ title: 'Viewer' }, h.tenantA.actors.viewer);
    expect(viewer.status).toBe(403);
    const outsider = await create({ title: 'Outsider' }, h.tenantB.actors.owner);
    expect(outsider.status).toBe(404);
    expect(outsider.body).toMatchObject({ error: { message: 'organization not found' } });
    const otherEpic = await create({ title: 'Stray epic', epicId: h.tenantB.organizationId });
    expect(otherEpic.body).toMatchObject({ error: { code: 'not_found', message: 'epic not found (epicId)' } });
    await h.test.db.query(`update subscriptions set status = 'past_due' where organization_id = $1`, [h.tenantA.organizationId]);
    expect((await create({ title: 'Unpaid' })).status).toBe(402);
    await putOnPlan(h.test, h.tenantA.organizationId, 'free');
    await h.test.db.query(`update subscription_plans set max_tasks = 0 where code = 'free'`);
    try {
      expect((await create({ title: 'Over the limit' })).body).toMatchObject({ error: { code: 'limit_exceeded' } });
    } finally {
      await h.test.db.query(`update subscription_plans set max_tasks = (select max_tasks from subscription_plans where code = 'pro') where code = 'free'`);
    }
    const after = await h.test.db.query<{ n: number }>(`select count(*)::int as n from tasks where project_id = $1`, [projectId]);
    expect(after).toEqual(before);
  });

  it.skipIf(engine !== 'postgres')('takes no lock of the organization for an outsider, whose create is refused at once', async () => {
    // Another session holds the task-limit lock; a member's create would wait for it, an outsider's must not.
    const holder = new pg.Client({ connectionString: h.test.url ?? '' });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`limit:tasks:${h.tenantA.organizationId}`]);
      const outsider = h.request(h.tenantB.actors.owner, 'POST', tasksPath(), { title: 'Outsider' }).then((response) => response.status);
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000));
      expect(await Promise.race([outsider, waited])).toBe(404);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
  });

  it('creates a task with an assignee in one round trip: the assignee watches it and is told', async () => {
    const { member, admin } = h.tenantA.actors;
    const assigned = await create({ title: 'Assigned', assigneeId: admin.userId }, member);
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    expect(assigned.body.assigneeId).toBe(admin.userId);
    if (engine === 'postgres') expect(assigned.count).toBe(1);
    const told = await h.test.db.query(`select user_id, type from notifications where task_id = $1`, [assigned.body.id]);
    expect(told).toEqual([{ user_id: admin.userId, type: 'assigned' }]);
    const watchers = await h.test.db.query<{ user_id: string }>(`select user_id from task_watchers where task_id = $1 and watching`, [assigned.body.id]);
    expect(watchers.map((row) => row.user_id).sort()).toEqual([admin.userId, member.userId].sort());
  });
});
