import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { countedRequest } from '../../../test/support/round-trips.js';
import { serialize } from '../../http/router.js';
import { scopedCall } from '../shared/service-call.js';
import { dispatchWebhookEvents } from '../webhooks/dispatcher.js';
import { createComment } from './service.js';

type Comment = Record<string, unknown> & { id: string; taskId: string };
type Task = { id: string; ref: string };

/**
 * A comment, on a task named by id or by reference, mentioning people or not, sends its check, its
 * insert, the author's watch, the watchers' notifications, its live events and its webhook event
 * in one database round trip, and writes exactly what the ordinary create (`createComment`,
 * called here directly) writes; anything the check refuses is answered by the ordinary create.
 */
describe('comments: a create in one database round trip', () => {
  let h: ApiHarness;
  let projectId: string;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    const project = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Talk', key: 'TLK' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  beforeEach(async () => {
    await h.test.db.query(`delete from webhooks where organization_id = $1`, [h.tenantA.organizationId]);
  });

  /** A task the owner creates (and so watches), which the admin watches too. */
  const watchedTask = async (inProject = projectId) => {
    const response = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects/${inProject}/tasks`, { title: 'Discuss' });
    expect(response.status).toBe(201);
    const task = (await response.json()) as Task;
    await h.test.db.query(`insert into task_watchers (organization_id, task_id, user_id) values ($1, $2, $3)`, [h.tenantA.organizationId, task.id, h.tenantA.actors.admin.userId]);
    return task;
  };

  /** One comment, its round trips counted (the session already cached); `idOrRef` picks the path. */
  const comment = async (idOrRef: string, body: string, actor: Actor = h.tenantA.actors.member) => {
    const sent = await countedRequest(h, actor, `${orgPath()}/tasks/TLK-1`, 'POST', `${orgPath()}/tasks/${idOrRef}/comments`, { body });
    return { ...sent, body: sent.body as Comment };
  };

  /** The same comment by the ordinary path (what the route sends when the one trip refuses), answered as the route answers. */
  const ordinaryComment = async (idOrRef: string, body: string, actor: Actor = h.tenantA.actors.member) => {
    const call = await scopedCall({ db: h.test.db, claim: { organizationId: h.tenantA.organizationId, userId: actor.userId }, requestId: 'test:ordinary' });
    return { status: 201, body: JSON.parse(JSON.stringify(serialize(await createComment(call, idOrRef, { body })))) as Comment };
  };

  /** What one comment wrote besides its row: audit, watchers, notifications, live events, digest jobs, deliveries. */
  async function writtenAbout(created: Comment) {
    const org = h.tenantA.organizationId;
    const audit = await h.test.db.query(`select actor_user_id, new_values ->> 'body' as body from audit_logs where resource_type = 'comments' and resource_id = $1 and action = 'insert'`, [created.id]);
    const watchers = await h.test.db.query(`select user_id, watching from task_watchers where task_id = $1 order by user_id`, [created.taskId]);
    const notifications = await h.test.db.query(
      `select user_id, type, actor_id, project_id, email_pending from notifications where organization_id = $1 and comment_id = $2 order by user_id`,
      [org, created.id],
    );
    const events = await h.test.db.query(
      `select kind, project_id, resource_id = $2 as is_comment from live_events where organization_id = $1 and (resource_id = $2 or (kind = 'notifications.created' and resource_id = $3)) order by kind`,
      [org, created.id, created.taskId],
    );
    const digests = await h.test.db.query(`select payload ->> 'userId' as user_id from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1`, [org]);
    await dispatchWebhookEvents(h.test.db);
    const deliveries = await h.test.db.query<{ body: string; jobs: number }>(
      `select d.body, (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.event = 'comment.created' and d.body::json -> 'data' ->> 'id' = $2`,
      [org, created.id],
    );
    return { audit, watchers, notifications, events, digests, deliveries };
  }

  /** A comment's values that differ between two comments written alike. */
  const alike = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([key]) => !['id', 'taskId', 'createdAt', 'updatedAt'].includes(key)));

  it.each([
    { naming: 'by id', path: (task: Task) => task.id },
    { naming: 'by reference', path: (task: Task) => task.ref },
  ])('comments on a task named $naming in one round trip, writing what the ordinary create writes: answer, audit, watch, notifications and their digest, live events, deliveries', async ({ path }) => {
    const { admin, member } = h.tenantA.actors;
    await h.test.db.query(`insert into notification_preferences (organization_id, user_id, type, channel) values ($1, $2, 'commented', 'email') on conflict do nothing`, [
      h.tenantA.organizationId,
      admin.userId,
    ]);
    await h.test.db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/c', array['comment.created'], '\\x00')`, [
      h.tenantA.organizationId,
    ]);
    const clearDigests = () => h.test.db.query(`delete from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1`, [h.tenantA.organizationId]);
    const clearPending = () => h.test.db.query(`update notifications set email_pending = false where organization_id = $1`, [h.tenantA.organizationId]);

    const [fast, ordinary] = [await watchedTask(), await watchedTask()];
    await Promise.all([clearDigests(), clearPending()]);
    const oneTrip = await comment(path(fast), 'Looks good, no mention here.');
    expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(201);
    const one = await writtenAbout(oneTrip.body);
    await Promise.all([clearDigests(), clearPending()]);
    const byOrdinary = await ordinaryComment(ordinary.ref, 'Looks good, no mention here.');
    const two = await writtenAbout(byOrdinary.body);
    if (engine === 'postgres') expect(oneTrip.count).toBe(1);

    const read = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/comments/${oneTrip.body.id}`);
    expect(oneTrip.body).toEqual(await read.json());
    expect(oneTrip.body).toMatchObject({ taskId: fast.id, authorId: member.userId, body: 'Looks good, no mention here.', editedAt: null });
    expect(alike(oneTrip.body)).toEqual(alike(byOrdinary.body));

    expect(one.audit).toEqual([{ actor_user_id: member.userId, body: 'Looks good, no mention here.' }]);
    expect(one.audit).toEqual(two.audit);
    expect(one.watchers.map((row) => (row as { user_id: string }).user_id).sort()).toEqual([h.tenantA.actors.owner.userId, admin.userId, member.userId].sort());
    expect(one.watchers).toHaveLength(two.watchers.length);
    // The owner and the admin hear of it, the admin by email; not the author.
    expect(one.notifications).toHaveLength(2);
    expect(one.notifications).toEqual(two.notifications);
    expect(one.digests).toEqual([{ user_id: admin.userId }]);
    expect(one.digests).toEqual(two.digests);
    expect(one.events).toEqual([{ kind: 'comment.created', project_id: projectId, is_comment: true }, { kind: 'notifications.created', project_id: projectId, is_comment: false }]);
    expect(one.events).toEqual(two.events);
    for (const [written, answer] of [[one, oneTrip.body], [two, byOrdinary.body]] as const) {
      expect(written.deliveries).toHaveLength(1);
      for (const delivery of written.deliveries) {
        expect(delivery.jobs).toBe(1);
        const body = JSON.parse(delivery.body) as { data: Record<string, unknown> };
        expect(body).toMatchObject({ event: 'comment.created', organizationId: h.tenantA.organizationId });
        expect(Object.keys(body.data)).toEqual([...Object.keys(answer), 'projectId']);
        expect(body.data).toEqual({ ...answer, projectId });
      }
    }
  });

  it('answers a refused comment the ordinary way, having written nothing', async () => {
    const task = await watchedTask();
    const count = async () => (await h.test.db.query<{ n: number }>(`select count(*)::int as n from comments where organization_id = $1`, [h.tenantA.organizationId]))[0]?.n;
    const before = await count();
    expect((await comment(task.id, 'Viewer', h.tenantA.actors.viewer)).status).toBe(403);
    const outsider = await comment(task.id, 'Outsider', h.tenantB.actors.owner);
    expect(outsider.status).toBe(404);
    expect(outsider.body).toMatchObject({ error: { message: 'organization not found' } });
    const missing = await comment(h.tenantB.organizationId, 'Nowhere');
    expect(missing.body).toMatchObject({ error: { code: 'not_found', message: 'task not found' } });
    const hidden = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Hidden', key: 'HID', visibility: 'private' });
    const secret = await watchedTask(((await hidden.json()) as { id: string }).id);
    expect((await comment(secret.id, 'Seen')).status).toBe(404);
    expect((await comment(secret.ref, 'Seen by reference')).status).toBe(404);
    expect((await comment('TLK-99999', 'Nowhere')).body).toMatchObject({ error: { code: 'not_found', message: 'task not found' } });
    expect(await count()).toBe(before);
  });

  const handle = (actor: Actor) => actor.email.split('@')[0] ?? '';

  it.each([
    {
      case: 'members, oneself, duplicates, an outsider and an email address',
      actor: () => h.tenantA.actors.member,
      body: () => {
        const { owner, admin, member } = h.tenantA.actors;
        const outsider = h.tenantB.actors.owner;
        return `@${handle(owner)} and @${handle(admin).toUpperCase()}, @${handle(admin)} again, me @${handle(member)}, outsider @${handle(outsider)}, mail ${owner.email}, @nobody-here.`;
      },
      private: false,
    },
    {
      case: 'a member not on the private project',
      actor: () => h.tenantA.actors.owner,
      body: () => `@${handle(h.tenantA.actors.member)} is not on it, @${handle(h.tenantA.actors.admin)}. is`,
      private: true,
    },
  ])('comments mentioning $case in one round trip, telling whom the ordinary create tells', async (example) => {
    let inProject = projectId;
    if (example.private) {
      const hidden = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Quiet', key: 'QUIET', visibility: 'private' });
      inProject = ((await hidden.json()) as { id: string }).id;
    }
    const clearDigests = () => h.test.db.query(`delete from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1`, [h.tenantA.organizationId]);
    const [fast, ordinary] = [await watchedTask(inProject), await watchedTask(inProject)];
    await clearDigests();
    const oneTrip = await comment(fast.id, example.body(), example.actor());
    expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(201);
    if (engine === 'postgres') expect(oneTrip.count).toBe(1);
    const one = await writtenAbout(oneTrip.body);
    await clearDigests();
    const two = await writtenAbout((await ordinaryComment(ordinary.id, example.body(), example.actor())).body);
    const told = (written: typeof one) => written.notifications.map((row) => `${(row as { user_id: string }).user_id}:${(row as { type: string }).type}`).sort();
    const { owner, admin } = h.tenantA.actors;
    // The member is not on the private project: neither path tells them.
    const expected = example.private ? [`${admin.userId}:mentioned`] : [`${owner.userId}:mentioned`, `${admin.userId}:mentioned`];
    expect(told(one)).toEqual(expected.sort());
    expect(one.notifications).toEqual(two.notifications);
    expect(one.digests).toEqual(two.digests);
    expect(one.events).toEqual(two.events);
    expect(one.watchers).toHaveLength(two.watchers.length);
  });
});
