import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { countedRequest } from '../../../test/support/round-trips.js';
import { serialize } from '../../http/router.js';
import { scopedCall } from '../shared/service-call.js';
import { dispatchWebhookEvents } from '../webhooks/dispatcher.js';
import { updateTask } from './service.js';

type Task = Record<string, unknown> & { id: string; ref: string };

/**
 * A task update that tells no one sends its checks, its write, its read-back, its live event and
 * its webhook deliveries in one database round trip, and writes exactly what the ordinary update
 * writes (which a reference in the path still takes); anything the checks refuse is answered by
 * the ordinary update, exactly as before.
 */
describe('tasks: an update in one database round trip', () => {
  let h: ApiHarness;
  let projectId: string;
  let epicId: string;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    const { owner } = h.tenantA.actors;
    const project = await h.request(owner, 'POST', `${orgPath()}/projects`, { name: 'Updates', key: 'UPD' });
    projectId = ((await project.json()) as { id: string }).id;
    const epic = await h.request(owner, 'POST', `${orgPath()}/projects/${projectId}/epics`, { title: 'An epic' });
    epicId = ((await epic.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  beforeEach(async () => {
    await h.test.db.query(`delete from webhooks where organization_id = $1`, [h.tenantA.organizationId]);
  });

  const createTask = async (body: Record<string, unknown> = { title: 'Before' }, inProject = projectId) => {
    const response = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects/${inProject}/tasks`, body);
    expect(response.status).toBe(201);
    return (await response.json()) as Task;
  };

  /** One update, its round trips counted (the session already cached); `idOrRef` picks the path. */
  const update = async (idOrRef: string, body: Record<string, unknown>, actor: Actor = h.tenantA.actors.member) => {
    const sent = await countedRequest(h, actor, `${orgPath()}/tasks/UPD-1`, 'PATCH', `${orgPath()}/tasks/${idOrRef}`, body);
    return { ...sent, body: sent.body as Task };
  };

  /** The same update by the ordinary path (what the route sends when the one trip refuses), answered as the route answers. */
  const ordinaryUpdate = async (idOrRef: string, body: Record<string, unknown>, actor: Actor = h.tenantA.actors.member) => {
    const call = await scopedCall({ db: h.test.db, claim: { organizationId: h.tenantA.organizationId, userId: actor.userId }, requestId: 'test:ordinary' });
    return { status: 200, body: JSON.parse(JSON.stringify(serialize(await updateTask(call, idOrRef, body)))) as Task };
  };

  const subscribeTo = (events: string[]) =>
    h.test.db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/t', $2, '\\x00')`, [
      h.tenantA.organizationId,
      events,
    ]);

  /** What one update wrote about a task besides the row: audit, history, live events, deliveries, notifications. */
  async function writtenAbout(task: Task) {
    const audit = await h.test.db.query<{ actor_user_id: string; changed_fields: string[]; old_values: Record<string, unknown>; new_values: Record<string, unknown>; request_id: string | null }>(
      `select actor_user_id, changed_fields, old_values, new_values, request_id from audit_logs
        where resource_type = 'tasks' and resource_id = $1 and action = 'update'`,
      [task.id],
    );
    const history = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${task.id}/history`);
    const events = await h.test.db.query<{ kind: string; project_id: string }>(`select kind, project_id from live_events where resource_id = $1 order by id`, [task.id]);
    await dispatchWebhookEvents(h.test.db);
    const deliveries = await h.test.db.query<{ body: string; jobs: number }>(
      `select d.body, (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.event = 'task.updated' and d.body::json -> 'data' ->> 'id' = $2`,
      [h.tenantA.organizationId, task.id],
    );
    const notifications = await h.test.db.query(`select user_id, type from notifications where task_id = $1 order by user_id, type`, [task.id]);
    return { audit, history: ((await history.json()) as { items: Record<string, unknown>[] }).items, events, deliveries, notifications };
  }

  /** A task's values that differ between two tasks written alike. */
  const OWN = ['id', 'number', 'ref', 'position', 'createdAt', 'updatedAt'];
  const alike = (task: Record<string, unknown>) => Object.fromEntries(Object.entries(task).filter(([key]) => !OWN.includes(key)));
  const auditAlike = ({ changed_fields, old_values, new_values, actor_user_id }: Awaited<ReturnType<typeof writtenAbout>>['audit'][number]) => {
    const changed = changed_fields.filter((field) => field !== 'updated_at');
    const pick = (values: Record<string, unknown>) => Object.fromEntries(changed.map((field) => [field, values[field]]));
    return { actor_user_id, changed, old: pick(old_values), new: pick(new_values) };
  };
  const historyAlike = (entries: Record<string, unknown>[]) => entries.map(({ id: _id, at: _at, ...entry }) => entry);

  /** The two ways a path names a task, both sent in one round trip. */
  const NAMINGS = [
    { naming: 'by id', path: (task: Task) => task.id },
    { naming: 'by reference', path: (task: Task) => task.ref },
  ];

  it.each(NAMINGS)('updates a task named $naming in one round trip, writing what the ordinary update writes: answer, audit, history, live event, deliveries', async ({ path }) => {
    await subscribeTo(['task.updated']);
    await subscribeTo(['task.created', 'task.updated']);
    const original = { title: 'Before', description: 'old text', storyPoints: 1 };
    const [fast, ordinary] = [await createTask(original), await createTask(original)];
    const change = { title: 'After', description: 'new text, no mention', priority: 'high', storyPoints: 5, dueDate: '2031-04-05', epicId, acceptanceCriteria: null };

    const oneTrip = await update(path(fast), change);
    expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(200);
    const byOrdinary = await ordinaryUpdate(ordinary.ref, change);
    if (engine === 'postgres') expect(oneTrip.count).toBe(1);

    const read = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${fast.id}`);
    expect(oneTrip.body).toEqual(await read.json());
    expect(oneTrip.body).toMatchObject({ title: 'After', priority: 'high', storyPoints: 5, dueDate: '2031-04-05', epicId });
    expect(alike(oneTrip.body)).toEqual(alike(byOrdinary.body));

    const [one, two] = [await writtenAbout(fast), await writtenAbout(ordinary)];
    expect(one.audit).toHaveLength(1);
    expect(one.audit.map(auditAlike)).toEqual(two.audit.map(auditAlike));
    expect(one.audit[0]?.actor_user_id).toBe(h.tenantA.actors.member.userId);
    expect(one.audit[0]?.request_id).toBeTruthy();
    expect(historyAlike(one.history)).toEqual(historyAlike(two.history));
    expect(one.events).toEqual([{ kind: 'task.created', project_id: projectId }, { kind: 'task.updated', project_id: projectId }]);
    expect(one.events).toEqual(two.events);
    expect(one.notifications).toEqual(two.notifications);
    for (const [written, answer] of [[one, oneTrip.body], [two, byOrdinary.body]] as const) {
      expect(written.deliveries).toHaveLength(2);
      for (const delivery of written.deliveries) {
        expect(delivery.jobs).toBe(1);
        const body = JSON.parse(delivery.body) as Record<string, unknown>;
        expect(Object.keys(body)).toEqual(['event', 'organizationId', 'occurredAt', 'data']);
        expect(body).toMatchObject({ event: 'task.updated', organizationId: h.tenantA.organizationId });
        expect(Object.keys(body.data as object)).toEqual(Object.keys(answer));
        expect(body.data).toEqual(answer);
      }
    }
  });

  it('clears fields (null) and unassigns in one round trip', async () => {
    const task = await createTask({ title: 'Set', description: 'text', storyPoints: 3, assigneeId: h.tenantA.actors.member.userId });
    const cleared = await update(task.id, { description: null, storyPoints: null, assigneeId: null });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    if (engine === 'postgres') expect(cleared.count).toBe(1);
    expect(cleared.body).toMatchObject({ description: null, storyPoints: null, assigneeId: null, assignee: null });
  });

  it('answers a refused update the ordinary way, having written nothing', async () => {
    const task = await createTask();
    const auditRows = async () => (await h.test.db.query<{ n: number }>(`select count(*)::int as n from audit_logs where resource_id = $1 and action = 'update'`, [task.id]))[0]?.n;
    expect((await update(task.id, { title: 'Viewer' }, h.tenantA.actors.viewer)).status).toBe(403);
    const outsider = await update(task.id, { title: 'Outsider' }, h.tenantB.actors.owner);
    expect(outsider.status).toBe(404);
    expect(outsider.body).toMatchObject({ error: { message: 'organization not found' } });
    const theirs = await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects`, { name: 'Theirs', key: 'THR' });
    const theirProject = ((await theirs.json()) as { id: string }).id;
    const theirTask = await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${theirProject}/tasks`, { title: 'Theirs' });
    const theirTaskId = ((await theirTask.json()) as { id: string }).id;
    const otherTenantsTask = await update(theirTaskId, { title: 'Not here' });
    expect(otherTenantsTask.body).toMatchObject({ error: { code: 'not_found', message: 'task not found' } });
    const strayEpic = await update(task.id, { epicId: h.tenantB.organizationId });
    expect(strayEpic.body).toMatchObject({ error: { code: 'not_found', message: 'epic not found (epicId)' } });
    const strangerSprint = await update(task.id, { sprintId: h.tenantB.organizationId });
    expect(strangerSprint.body).toMatchObject({ error: { code: 'not_found', message: 'sprint not found (sprintId)' } });
    // An epic of another project of the same organization is not this task's.
    const other = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Other', key: 'OTH' });
    const otherId = ((await other.json()) as { id: string }).id;
    const otherEpic = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects/${otherId}/epics`, { title: 'Elsewhere' });
    const wrongEpic = await update(task.id, { epicId: ((await otherEpic.json()) as { id: string }).id });
    expect(wrongEpic.body).toMatchObject({ error: { code: 'not_found', message: 'epic not found (epicId)' } });
    expect(await auditRows()).toBe(0);
    const [untouched] = await h.test.db.query<{ title: string }>(`select title from tasks where id = $1`, [theirTaskId]);
    expect(untouched?.title).toBe('Theirs');
    expect((await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${task.id}`).then((response) => response.json())) as Task).toMatchObject({ title: 'Before' });
  });

  it('answers 404 for a task of a private project the caller is not on, and writes nothing', async () => {
    const hidden = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Hidden', key: 'HID', visibility: 'private' });
    expect(hidden.status).toBe(201);
    const task = await createTask({ title: 'Secret' }, ((await hidden.json()) as { id: string }).id);
    const refused = await update(task.id, { title: 'Seen' });
    expect(refused.status).toBe(404);
    const [row] = await h.test.db.query<{ title: string }>(`select title from tasks where id = $1`, [task.id]);
    expect(row?.title).toBe('Secret');
  });

  it('resolves a reference as the ordinary update does: any case of the key, and refusals answered the ordinary way', async () => {
    const task = await createTask();
    const lower = await update(task.ref.toLowerCase(), { title: 'Lower case' });
    expect(lower.status, JSON.stringify(lower.body)).toBe(200);
    if (engine === 'postgres') expect(lower.count).toBe(1);
    expect(lower.body).toMatchObject({ id: task.id, title: 'Lower case' });
    const missing = await update('UPD-99999', { title: 'Nowhere' });
    expect(missing.body).toMatchObject({ error: { code: 'not_found', message: 'task not found' } });
    // Another tenant's project with the same key holds a task 1: a reference reads in the caller's organization only.
    const theirs = await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects`, { name: 'Same key', key: 'SAMEKEY' });
    const theirTask = await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${((await theirs.json()) as { id: string }).id}/tasks`, { title: 'Theirs' });
    expect(theirTask.status).toBe(201);
    expect((await update('SAMEKEY-1', { title: 'Not here' })).body).toMatchObject({ error: { code: 'not_found', message: 'task not found' } });
    const hidden = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Hidden by ref', key: 'HIDREF', visibility: 'private' });
    const secret = await createTask({ title: 'Secret' }, ((await hidden.json()) as { id: string }).id);
    expect((await update(secret.ref, { title: 'Seen' })).status).toBe(404);
    const rows = await h.test.db.query<{ title: string }>(`select title from tasks where title in ('Nowhere', 'Not here', 'Seen')`);
    expect(rows).toEqual([]);
  });

  /** What telling wrote about a task: notifications, watchers, live events, digest jobs started. */
  async function toldAbout(task: Task) {
    const organizationId = h.tenantA.organizationId;
    const notifications = await h.test.db.query(
      `select user_id, type, actor_id, project_id, comment_id, sprint_id, invitation_id, email_pending, read_at from notifications where task_id = $1 order by user_id, type`,
      [task.id],
    );
    const watchers = await h.test.db.query(`select user_id, watching from task_watchers where task_id = $1 order by user_id`, [task.id]);
    const events = await h.test.db.query(`select kind, project_id from live_events where resource_id = $1 order by id`, [task.id]);
    const digests = await h.test.db.query<{ payload: unknown; delay: number }>(
      `select payload, extract(epoch from run_at - created_at)::int as delay from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1 order by payload ->> 'userId'`,
      [organizationId],
    );
    // The next change starts from nothing waiting for email, as this one did.
    await h.test.db.query(`update notifications set email_pending = false where organization_id = $1`, [organizationId]);
    await h.test.db.query(`delete from jobs where kind = 'notifications.digest' and payload ->> 'organizationId' = $1`, [organizationId]);
    return { notifications, watchers, events, digests };
  }

  it.each(NAMINGS)('changes the status and the assignee of a task named $naming in one round trip, telling whom the ordinary update tells', async ({ path }) => {
    const { owner, admin, member, viewer } = h.tenantA.actors;
    await subscribeTo(['task.updated']);
    // The admin wants email for status changes, the viewer no assignments; the owner stopped watching the second pair.
    await h.request(admin, 'PUT', `${orgPath()}/notification-preferences`, { items: [{ type: 'status_changed', channel: 'email' }] });
    await h.request(viewer, 'PUT', `${orgPath()}/notification-preferences`, { items: [{ type: 'assigned', channel: 'off' }] });
    // completedAt is the time of each change: only whether it is set can be alike.
    const timeless = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"a time"'));
    const same = (task: Task) => timeless(alike(task));
    const cases = [
      { change: { status: 'in_progress', assigneeId: admin.userId, title: 'Both' }, watch: [admin, member] },
      { change: { status: 'done' }, watch: [admin, member, viewer] },
      { change: { assigneeId: viewer.userId }, watch: [] },
      { change: { assigneeId: owner.userId, status: 'todo' }, unwatch: owner, watch: [member] },
      { change: { status: 'todo', assigneeId: member.userId }, watch: [admin] },
    ];
    const seen = { notifications: 0, digests: 0, events: 0 };
    try {
      for (const { change, watch, unwatch } of cases) {
        const pair: Task[] = [];
        for (let i = 0; i < 2; i++) {
          const task = await createTask({ title: 'Told', status: 'todo' });
          for (const actor of watch) await h.request(actor, 'PUT', `${orgPath()}/tasks/${task.id}/watch`, { watching: true });
          if (unwatch) await h.request(unwatch, 'PUT', `${orgPath()}/tasks/${task.id}/watch`, { watching: false });
          pair.push(task);
        }
        const [fast, ordinary] = pair as [Task, Task];
        const oneTrip = await update(path(fast), change);
        expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(200);
        const fastTold = await toldAbout(fast);
        const byOrdinary = await ordinaryUpdate(ordinary.ref, change);
        const ordinaryTold = await toldAbout(ordinary);
        if (engine === 'postgres') expect(oneTrip.count, JSON.stringify(change)).toBe(1);
        expect(same(oneTrip.body)).toEqual(same(byOrdinary.body));
        expect(fastTold, JSON.stringify(change)).toEqual(ordinaryTold);
        seen.notifications += fastTold.notifications.length;
        seen.digests += fastTold.digests.length;
        seen.events += fastTold.events.filter((event) => event.kind === 'notifications.created').length;
        const [one, two] = [await writtenAbout(fast), await writtenAbout(ordinary)];
        expect(timeless(one.audit.map(auditAlike))).toEqual(timeless(two.audit.map(auditAlike)));
        expect(timeless(historyAlike(one.history))).toEqual(timeless(historyAlike(two.history)));
        const delivered = (written: typeof one) => written.deliveries.map((delivery) => same((JSON.parse(delivery.body) as { data: Task }).data));
        expect(delivered(one)).toEqual(delivered(two));
      }
      // The cases told someone, by email too, and announced it (else the comparison proves little).
      expect(seen.notifications).toBeGreaterThanOrEqual(6);
      expect(seen.digests).toBeGreaterThanOrEqual(2);
      expect(seen.events).toBeGreaterThanOrEqual(4);
    } finally {
      await h.request(admin, 'PUT', `${orgPath()}/notification-preferences`, { items: [{ type: 'status_changed', channel: 'in_app' }] });
      await h.request(viewer, 'PUT', `${orgPath()}/notification-preferences`, { items: [{ type: 'assigned', channel: 'in_app' }] });
    }
  });

  it('answers an assignee who is not a member the ordinary way, having written nothing', async () => {
    const task = await createTask();
    const stranger = await update(task.id, { assigneeId: h.tenantB.actors.owner.userId, status: 'done' });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ error: { code: 'not_found', message: 'assignee not found (assigneeId)' } });
    const [row] = await h.test.db.query<{ status: string; n: number }>(
      `select status, (select count(*)::int from notifications where task_id = $1) as n from tasks where id = $1`,
      [task.id],
    );
    expect(row).toEqual({ status: 'todo', n: 0 });
  });

  it('tells only the members a new description newly mentions, in one round trip, as the ordinary update tells', async () => {
    const { owner, admin, member } = h.tenantA.actors;
    const handle = (actor: Actor) => actor.email.split('@')[0] ?? '';
    const hidden = await h.request(owner, 'POST', `${orgPath()}/projects`, { name: 'Hushed', key: 'HUSH', visibility: 'private' });
    const privateProject = ((await hidden.json()) as { id: string }).id;
    const cases = [
      {
        stored: `ask @${handle(owner)}`,
        description: `ask @${handle(owner)} and @${handle(admin)}, @${handle(admin).toUpperCase()}, me @${handle(member)}, outsider @${handle(h.tenantB.actors.owner)}, mail ${owner.email}, @nobody.`,
        actor: member,
      },
      { stored: null, description: `@${handle(member)} is not on the project; @${handle(admin)}.`, actor: owner, inProject: privateProject },
      { stored: `@${handle(admin)} already`, description: `@${handle(admin)} already`, actor: member },
      { stored: `@${handle(admin)}...`, description: `now @${handle(admin)} and (@${handle(owner)})`, actor: member },
      // Beyond ASCII the one trip refuses: é before the @ makes no mention, so the admin is new.
      { stored: `café@${handle(admin)}`, description: `@${handle(admin)}`, actor: member, ordinary: true },
    ];
    let told = 0;
    for (const example of cases) {
      const pair: Task[] = [];
      for (let i = 0; i < 2; i++) pair.push(await createTask({ title: 'Mentions', description: example.stored }, example.inProject));
      const [fast, ordinary] = pair as [Task, Task];
      await Promise.all(pair.map((task) => toldAbout(task)));
      const oneTrip = await update(fast.id, { description: example.description }, example.actor);
      expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(200);
      const fastTold = await toldAbout(fast);
      await ordinaryUpdate(ordinary.id, { description: example.description }, example.actor);
      const ordinaryTold = await toldAbout(ordinary);
      if (engine === 'postgres') expect(oneTrip.count === 1, example.description).toBe(!example.ordinary);
      expect(fastTold, example.description).toEqual(ordinaryTold);
      const byActor = (row: unknown) => (row as { type: string; actor_id: string }).type === 'mentioned' && (row as { actor_id: string }).actor_id === example.actor.userId;
      told += fastTold.notifications.filter(byActor).length;
    }
    // By the update: admin in the first, admin alone in the second (the member is not on the private project), owner in the fourth, admin in the last.
    expect(told).toBe(4);
  });
});
