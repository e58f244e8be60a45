import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { subscribe as putOnPlan } from '../../../test/support/plan.js';
import { countedRequest } from '../../../test/support/round-trips.js';
import { dispatchWebhookEvents } from '../webhooks/dispatcher.js';
import type { CreateTaskInput } from './schemas.js';
import { createTasksInOneTrip } from './create-in-one-trip.js';
import { bulkCreateTasks } from './service.js';

type Task = Record<string, unknown> & { id: string; ref: string };

/**
 * A bulk create, its items telling people or not, sends its checks, its multi-row insert, its
 * read-back, its watches, its live events and its webhook events in one database round trip,
 * and writes exactly what the ordinary bulk create writes; anything the checks refuse is
 * answered by the ordinary bulk create, which names the failing item.
 */
describe('tasks: a bulk create in one database round trip', () => {
  let h: ApiHarness;
  let projectId: string;
  let epicId: string;
  let sprintId: string;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;
  const bulkPath = () => `${orgPath()}/projects/${projectId}/tasks/bulk`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    const { owner } = h.tenantA.actors;
    const project = await h.request(owner, 'POST', `${orgPath()}/projects`, { name: 'Bulk', key: 'BLK' });
    projectId = ((await project.json()) as { id: string }).id;
    const epic = await h.request(owner, 'POST', `${orgPath()}/projects/${projectId}/epics`, { title: 'An epic' });
    epicId = ((await epic.json()) as { id: string }).id;
    const sprint = await h.request(owner, 'POST', `${orgPath()}/projects/${projectId}/sprints`, { name: 'A sprint' });
    sprintId = ((await sprint.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  beforeEach(async () => {
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    await h.test.db.query(`delete from webhooks where organization_id = $1`, [h.tenantA.organizationId]);
  });

  /** One bulk create, its round trips counted (the session already cached). */
  const bulk = async (items: Record<string, unknown>[], actor: Actor = h.tenantA.actors.member) => {
    const sent = await countedRequest(h, actor, `${orgPath()}/tasks/BLK-1`, 'POST', bulkPath(), { items });
    return { ...sent, body: sent.body as { items: Task[] } & Record<string, unknown> };
  };
  const taskCount = async () => (await h.test.db.query<{ n: number }>(`select count(*)::int as n from tasks where project_id = $1`, [projectId]))[0]?.n;

  const subscribeTo = (events: string[]) =>
    h.test.db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/t', $2, '\\x00')`, [
      h.tenantA.organizationId,
      events,
    ]);

  /** Items of every shape: different fields given, references, a done task (its completion time from the trigger). */
  const items = (): CreateTaskInput[] => [
    { title: 'First', description: 'plain text', storyPoints: 2, epicId },
    { title: 'Second', priority: 'high', dueDate: '2031-02-03', sprintId, epicId },
    { title: 'Third', type: 'bug', status: 'done' },
  ];

  /** What a create wrote about each task besides the row: audit, watchers, live events, deliveries, notifications. */
  async function writtenAbout(task: { id: string }) {
    const audit = await h.test.db.query<{ actor_user_id: string; new_values: Record<string, unknown> }>(
      `select actor_user_id, new_values from audit_logs where resource_type = 'tasks' and resource_id = $1 and action = 'insert'`,
      [task.id],
    );
    const watchers = await h.test.db.query(`select user_id, watching from task_watchers where task_id = $1`, [task.id]);
    const events = await h.test.db.query(`select kind, project_id from live_events where resource_id = $1`, [task.id]);
    const deliveries = await h.test.db.query<{ body: string; jobs: number }>(
      `select d.body, (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.body::json -> 'data' ->> 'id' = $2`,
      [h.tenantA.organizationId, task.id],
    );
    const notifications = await h.test.db.query(`select user_id, type from notifications where task_id = $1`, [task.id]);
    return { audit, watchers, events, deliveries, notifications };
  }

  /** A task's values that differ between two tasks written alike. */
  const OWN = ['id', 'number', 'ref', 'position', 'createdAt', 'updatedAt', 'completedAt'];
  const OWN_COLUMNS = ['id', 'number', 'position', 'created_at', 'updated_at', 'completed_at', 'search_vector'];
  const alike = (task: Record<string, unknown>) => Object.fromEntries(Object.entries(task).filter(([key]) => !OWN.includes(key)));
  const writtenAlike = ({ audit, deliveries, ...rest }: Awaited<ReturnType<typeof writtenAbout>>) => ({
    ...rest,
    audit: audit.map(({ actor_user_id, new_values }) => ({ actor_user_id, new: Object.fromEntries(Object.entries(new_values).filter(([key]) => !OWN_COLUMNS.includes(key))) })),
    deliveries: deliveries.map(({ body, jobs }) => {
      const { event, organizationId, data } = JSON.parse(body) as { event: string; organizationId: string; data: Task };
      return { event, organizationId, data: alike(data), jobs };
    }),
  });

  it('creates every item in one round trip, in order, writing what the ordinary bulk create writes', async () => {
    await subscribeTo(['task.created']);
    await subscribeTo(['task.created', 'task.updated']);
    const oneTrip = await bulk(items());
    expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(201);
    if (engine === 'postgres') expect(oneTrip.count).toBe(1);
    const { member } = h.tenantA.actors;
    const ordinary = await bulkCreateTasks({ db: h.test.db, scope: { organizationId: h.tenantA.organizationId, userId: member.userId, role: 'member' }, requestId: 'test' }, projectId, items());

    const created = oneTrip.body.items;
    expect(created.map((task) => task.title)).toEqual(['First', 'Second', 'Third']);
    const numbers = created.map((task) => Number(task.ref.split('-')[1]));
    expect(numbers).toEqual([numbers[0], (numbers[0] ?? 0) + 1, (numbers[0] ?? 0) + 2]);
    for (const task of created) {
      const read = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${task.id}`);
      expect(task).toEqual(await read.json());
    }
    expect(created[2]?.completedAt).toBeTruthy();
    expect(created.map(alike)).toEqual((JSON.parse(JSON.stringify(ordinary)) as Task[]).map(alike));

    await dispatchWebhookEvents(h.test.db);
    for (const [index, task] of created.entries()) {
      const [one, two] = [await writtenAbout(task), await writtenAbout(ordinary[index] ?? { id: '' })];
      expect(one.audit).toHaveLength(1);
      expect(one.watchers).toEqual([{ user_id: member.userId, watching: true }]);
      expect(one.events).toEqual([{ kind: 'task.created', project_id: projectId }]);
      expect(one.deliveries).toHaveLength(2);
      for (const delivery of one.deliveries) expect((JSON.parse(delivery.body) as { data: Task }).data).toEqual(task);
      expect(writtenAlike(one)).toEqual(writtenAlike(two));
    }
  });

  it('answers a refused bulk create the ordinary way, naming the failing item, having written nothing', async () => {
    const before = await taskCount();
    expect((await bulk(items(), h.tenantA.actors.viewer)).status).toBe(403);
    const outsider = await bulk(items(), h.tenantB.actors.owner);
    expect(outsider.status).toBe(404);
    expect(outsider.body).toMatchObject({ error: { message: 'organization not found' } });
    const strayEpic = await bulk([{ title: 'Fine' }, { title: 'Fine too', epicId }, { title: 'Stray', epicId: h.tenantB.organizationId }]);
    expect(strayEpic.body).toMatchObject({ error: { code: 'not_found', message: 'epic not found (items.2.epicId)' } });
    const straySprint = await bulk([{ title: 'Stray', sprintId: h.tenantB.organizationId }]);
    expect(straySprint.body).toMatchObject({ error: { code: 'not_found', message: 'sprint not found (items.0.sprintId)' } });
    await putOnPlan(h.test, h.tenantA.organizationId, 'free');
    const [used] = await h.test.db.query<{ n: number }>(`select count(*)::int as n from tasks where organization_id = $1 and deleted_at is null`, [h.tenantA.organizationId]);
    await h.test.db.query(`update subscription_plans set max_tasks = $1 where code = 'free'`, [(used?.n ?? 0) + 2]);
    try {
      // Room for two, not for the batch's three.
      const over = await bulk(items());
      expect(over.body).toMatchObject({ error: { code: 'limit_exceeded' } });
      if (engine === 'postgres') expect(over.count).toBeGreaterThan(1);
    } finally {
      await h.test.db.query(`update subscription_plans set max_tasks = (select max_tasks from subscription_plans where code = 'pro') where code = 'free'`);
    }
    expect(await taskCount()).toBe(before);
  });

  it.each([
    { case: 'assignees and mentions (oneself, duplicates, an outsider, an email address)', private: false, actor: 'member' as const },
    { case: 'a mention of a member not on the private project', private: true, actor: 'owner' as const },
  ])('creates items that tell people, $case, in one round trip, telling whom the ordinary bulk create tells', async (example) => {
    const { owner, admin, member, viewer } = h.tenantA.actors;
    const handle = (actor: Actor) => actor.email.split('@')[0] ?? '';
    const actor = h.tenantA.actors[example.actor];
    let inProject = projectId;
    if (example.private) {
      const hidden = await h.request(owner, 'POST', `${orgPath()}/projects`, { name: 'Closed', key: 'CLSD', visibility: 'private' });
      inProject = ((await hidden.json()) as { id: string }).id;
    }
    const telling: CreateTaskInput[] = example.private
      ? [{ title: 'Hidden', description: `@${handle(member)} is not on it, @${handle(admin)} is`, assigneeId: admin.userId }]
      : [
          { title: 'Assigned', assigneeId: admin.userId },
          { title: 'Self', assigneeId: member.userId, description: `me @${handle(member)}` },
          { title: 'Mentions', description: `@${handle(owner)}, @${handle(admin).toUpperCase()} @${handle(admin)}. outsider @${handle(h.tenantB.actors.owner)}, mail ${viewer.email}` },
          { title: 'Both', assigneeId: owner.userId, description: `@${handle(owner)} and @${handle(viewer)}` },
        ];
    // The admin wants email for mentions: a digest job for the first only.
    await h.request(admin, 'PUT', `${orgPath()}/notification-preferences`, { items: [{ type: 'mentioned', channel: 'email' }] });
    const org = h.tenantA.organizationId;
    const told = async (tasks: { id: string }[]) => {
      const rows = [];
      for (const task of tasks) {
        rows.push(
          await h.test.db.query(`select user_id, type, actor_id, project_id, email_pending from notifications where task_id = $1 order by user_id, type`, [task.id]),
          await h.test.db.query(`select user_id, watching from task_watchers where task_id = $1 order by user_id`, [task.id]),
        );
      }
      const events = await h.test.db.query(`select kind, project_id from live_events where organization_id = $1 and resource_id = any($2::uuid[]) order by id`, [org, tasks.map((task) => task.id)]);
      const digests = await h.test.db.query(`select payload ->> 'userId' as user_id from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1`, [org]);
      await h.test.db.query(`delete from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1`, [org]);
      await h.test.db.query(`update notifications set email_pending = false where organization_id = $1`, [org]);
      return { rows, events, digests };
    };
    try {
      await told([]);
      const sent = await countedRequest(h, actor, `${orgPath()}/tasks/BLK-1`, 'POST', `${orgPath()}/projects/${inProject}/tasks/bulk`, { items: telling });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      if (engine === 'postgres') expect(sent.count).toBe(1);
      const one = await told((sent.body as { items: Task[] }).items);
      const scope = { organizationId: org, userId: actor.userId, role: example.actor };
      const two = await told(await bulkCreateTasks({ db: h.test.db, scope, requestId: 'test' }, inProject, telling));
      expect(one).toEqual(two);
      const mentions = one.rows.flat().filter((row) => (row as { type?: string }).type === 'mentioned');
      // In the private project only the admin is told: the member is not on it.
      expect(mentions.length).toBe(example.private ? 1 : 4);
      expect(one.digests).toEqual([{ user_id: admin.userId }]);
    } finally {
      await h.request(admin, 'PUT', `${orgPath()}/notification-preferences`, { items: [{ type: 'mentioned', channel: 'in_app' }] });
    }
  });

  it('answers an assignee who is not a member the ordinary way, having written nothing', async () => {
    const before = await taskCount();
    const stranger = await bulk([{ title: 'Plain' }, { title: 'Stranger', assigneeId: h.tenantB.actors.owner.userId }]);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ error: { code: 'not_found' } });
    if (engine === 'postgres') expect(stranger.count).toBeGreaterThan(1);
    expect(await taskCount()).toBe(before);
  });

  it.skipIf(engine !== 'postgres')('prepares the insert of one task, never a multi-row insert (their shapes are countless)', async () => {
    const db = await h.test.connectAgain();
    try {
      const call = { db, claim: { organizationId: h.tenantA.organizationId, userId: h.tenantA.actors.owner.userId }, requestId: 'prepared-inserts' };
      const taskInserts = async () =>
        (await db.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where statement like 'insert into "tasks"%'`))[0]?.n;
      for (const size of [2, 3, 4]) {
        expect(await createTasksInOneTrip(call, projectId, Array.from({ length: size }, (_, index) => ({ title: `Batch of ${size}, ${index}` })))).toHaveLength(size);
      }
      expect(await taskInserts()).toBe(0);
      expect(await createTasksInOneTrip(call, projectId, [{ title: 'Alone' }])).toHaveLength(1);
      expect(await taskInserts()).toBe(1);
    } finally {
      await db.close();
    }
  });
});
