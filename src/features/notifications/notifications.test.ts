import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { DIGEST_DELAY_MS, DIGEST_JOB_KIND, sendDigest } from './digest.js';
import { mentionedHandles } from './service.js';

type Notification = { id: string; type: string; taskId: string | null; sprintId: string | null; invitationId: string | null; actorId: string | null; readAt: string | null };
type Inbox = { items: Notification[]; unreadCount: number; nextCursor: string | null };

describe('notifications and watching', () => {
  let h: ApiHarness;
  let projectId: string;
  const org = () => `/api/v1/orgs/${h.tenantA.organizationId}`;
  const actors = () => h.tenantA.actors;
  /** The local part of an actor's email: what `@handle` matches for people without a username. */
  const handleOf = (actor: Actor) => actor.email.split('@')[0] ?? '';

  async function call<T>(actor: Actor, method: string, path: string, body?: unknown): Promise<T> {
    const response = await h.request(actor, method, `${org()}${path}`, body);
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
    return (await response.json()) as T;
  }
  const inbox = (actor: Actor, query = '') => call<Inbox>(actor, 'GET', `/notifications${query}`);
  const newTask = (actor: Actor, body: Record<string, unknown> = {}) =>
    call<{ id: string }>(actor, 'POST', `/projects/${projectId}/tasks`, { title: 'Ship it', ...body });
  const typesFor = async (actor: Actor, taskId: string) => (await inbox(actor)).items.filter((n) => n.taskId === taskId).map((n) => n.type).sort();

  beforeAll(async () => {
    h = await createApiHarness();
    projectId = (await call<{ id: string }>(actors().owner, 'POST', '/projects', { name: 'Notify', key: 'NTF' })).id;
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('reads handles the way the README says: after a space or start, never inside an email address', () => {
    expect(mentionedHandles('@Ann and @bob.smith, please; cc @ann. mail ann@example.com @ @-x')).toEqual(['ann', 'bob.smith', '-x']);
    expect(mentionedHandles(null)).toEqual([]);
  });

  it('tells the assignee, not the person who assigned, and both watch the task', async () => {
    const task = await newTask(actors().owner, { assigneeId: actors().member.userId });
    const member = await inbox(actors().member);
    expect(member.items.find((n) => n.taskId === task.id)).toMatchObject({ type: 'assigned', actorId: actors().owner.userId, readAt: null });
    expect(await typesFor(actors().owner, task.id)).toEqual([]);
    expect(await call(actors().owner, 'GET', `/tasks/${task.id}/watch`)).toEqual({ taskId: task.id, watching: true, watcherCount: 2 });
    expect(await call(actors().member, 'GET', `/tasks/${task.id}/watch`)).toMatchObject({ watching: true });
    expect(await call(actors().viewer, 'GET', `/tasks/${task.id}/watch`)).toMatchObject({ watching: false });
  });

  it('tells watchers of comments and status changes, and the people a comment or description mentions', async () => {
    const { owner, admin, member, viewer } = actors();
    const task = await newTask(owner, { assigneeId: member.userId, description: `Ask @${handleOf(viewer)} first` });
    expect(await typesFor(viewer, task.id)).toEqual(['mentioned']);

    // The admin comments: watchers (owner, member) hear of it; the admin now watches too.
    await call(admin, 'POST', `/tasks/${task.id}/comments`, { body: 'On it' });
    expect(await typesFor(owner, task.id)).toEqual(['commented']);
    expect(await typesFor(member, task.id)).toEqual(['assigned', 'commented']);
    expect(await call(admin, 'GET', `/tasks/${task.id}/watch`)).toMatchObject({ watching: true, watcherCount: 3 });

    // A mention in a comment is a mention, not also a comment notification.
    await call(member, 'POST', `/tasks/${task.id}/comments`, { body: `@${handleOf(owner).toUpperCase()} can you review?` });
    expect(await typesFor(owner, task.id)).toEqual(['commented', 'mentioned']);
    expect(await typesFor(admin, task.id)).toEqual(['commented']);

    await call(member, 'PATCH', `/tasks/${task.id}`, { status: 'in_progress' });
    expect(await typesFor(owner, task.id)).toEqual(['commented', 'mentioned', 'status_changed']);
    expect(await typesFor(admin, task.id)).toEqual(['commented', 'status_changed']);
    expect(await typesFor(member, task.id)).toEqual(['assigned', 'commented']);

    // Editing the description keeps old mentions quiet and tells only the newly mentioned.
    await call(owner, 'PATCH', `/tasks/${task.id}`, { description: `Ask @${handleOf(viewer)} and @${handleOf(admin)}` });
    expect(await typesFor(viewer, task.id)).toEqual(['mentioned']);
    expect(await typesFor(admin, task.id)).toEqual(['commented', 'mentioned', 'status_changed']);
  });

  it('keeps a hand-made unwatch when the person comments again, until they watch again', async () => {
    const { owner, member } = actors();
    const task = await newTask(owner);
    expect(await call(owner, 'PUT', `/tasks/${task.id}/watch`, { watching: false })).toEqual({ taskId: task.id, watching: false, watcherCount: 0 });
    await call(owner, 'POST', `/tasks/${task.id}/comments`, { body: 'note to self' });
    expect(await call(owner, 'GET', `/tasks/${task.id}/watch`)).toMatchObject({ watching: false });
    await call(member, 'POST', `/tasks/${task.id}/comments`, { body: 'a reply' });
    expect(await typesFor(owner, task.id)).toEqual([]);
    await call(owner, 'PUT', `/tasks/${task.id}/watch`, { watching: true });
    await call(member, 'POST', `/tasks/${task.id}/comments`, { body: 'another reply' });
    expect(await typesFor(owner, task.id)).toEqual(['commented']);
  });

  it('follows each person’s preferences: off tells nothing, email marks the row for the digest', async () => {
    const { owner, member } = actors();
    const initial = await call<{ items: { type: string; channel: string }[] }>(member, 'GET', '/notification-preferences');
    expect(initial.items).toHaveLength(7);
    expect(new Set(initial.items.map((p) => p.channel))).toEqual(new Set(['in_app']));
    const set = await call<{ items: { type: string; channel: string }[] }>(member, 'PUT', '/notification-preferences', {
      items: [{ type: 'assigned', channel: 'off' }, { type: 'status_changed', channel: 'email' }],
    });
    expect(set.items).toEqual(expect.arrayContaining([{ type: 'assigned', channel: 'off' }, { type: 'status_changed', channel: 'email' }, { type: 'commented', channel: 'in_app' }]));

    const task = await newTask(owner, { assigneeId: member.userId });
    expect(await typesFor(member, task.id)).toEqual([]);
    await call(owner, 'PATCH', `/tasks/${task.id}`, { status: 'done' });
    expect(await typesFor(member, task.id)).toEqual(['status_changed']);
    const [row] = await h.test.db.query<{ email_pending: boolean }>(
      `select email_pending from notifications where task_id = $1 and user_id = $2`, [task.id, member.userId]);
    expect(row?.email_pending).toBe(true);
    await call(member, 'PUT', '/notification-preferences', { items: [{ type: 'assigned', channel: 'in_app' }, { type: 'status_changed', channel: 'in_app' }] });
  });

  it('batches email into one digest: one job per person for what arrives within minutes, one mail when it runs', async () => {
    const { owner, admin } = actors();
    const organizationId = h.tenantA.organizationId;
    await call(admin, 'PUT', '/notification-preferences', { items: [{ type: 'commented', channel: 'email' }] });
    const task = await newTask(admin);
    const jobsFor = (kind: string) =>
      h.test.db.query<{ payload: { organizationId: string; userId: string; to?: string; subject?: string; text?: string }; run_at: Date }>(
        `select payload, run_at from jobs where kind = $1 and (payload ->> 'userId' = $2 or (payload ->> 'to' = $3 and payload ->> 'template' = 'notification-digest'))
          order by created_at`,
        [kind, admin.userId, admin.email],
      );
    const before = Date.now();
    await call(owner, 'POST', `/tasks/${task.id}/comments`, { body: 'first' });
    await call(owner, 'POST', `/tasks/${task.id}/comments`, { body: 'second' });
    const digests = await jobsFor(DIGEST_JOB_KIND);
    expect(digests.map((job) => job.payload)).toEqual([{ organizationId, userId: admin.userId }]);
    expect(new Date(digests[0]?.run_at ?? 0).getTime()).toBeGreaterThanOrEqual(before + DIGEST_DELAY_MS - 1_000);

    expect(await sendDigest(h.test.db, 'http://tenantry.test', { organizationId, userId: admin.userId })).toBe(2);
    const [mail] = await jobsFor('mail.send');
    expect(mail?.payload).toMatchObject({ to: admin.email, subject: `2 new notifications in Org a` });
    expect(mail?.payload.text).toContain(`http://tenantry.test/${h.tenantA.slug}/inbox`);
    // A second run (a duplicate job, a retry after a crash) finds nothing left to send.
    expect(await sendDigest(h.test.db, 'http://tenantry.test', { organizationId, userId: admin.userId })).toBe(0);
    expect(await jobsFor('mail.send')).toHaveLength(1);
    // The inbox still has both: email comes on top of it.
    expect(await typesFor(admin, task.id)).toEqual(['commented', 'commented']);
    await call(admin, 'PUT', '/notification-preferences', { items: [{ type: 'commented', channel: 'in_app' }] });
  });

  it('marks read by ids or all, filters unread, and pages newest first', async () => {
    const { owner, viewer } = actors();
    for (let i = 0; i < 3; i += 1) await newTask(owner, { description: `hey @${handleOf(viewer)}` });
    const all = await inbox(viewer);
    expect(all.unreadCount).toBe(all.items.length);
    const [newest, second] = all.items;
    const marked = await call<{ marked: number; unreadCount: number }>(viewer, 'POST', '/notifications/read', { ids: [newest?.id] });
    expect(marked).toEqual({ marked: 1, unreadCount: all.unreadCount - 1 });
    const unread = await inbox(viewer, '?unread=true');
    expect(unread.items.map((n) => n.id)).not.toContain(newest?.id);
    expect(unread.items[0]?.id).toBe(second?.id);

    const page1 = await inbox(viewer, '?limit=2');
    const page2 = await inbox(viewer, `?limit=2&cursor=${page1.nextCursor}`);
    expect([...page1.items, ...page2.items].map((n) => n.id)).toEqual(all.items.slice(0, 4).map((n) => n.id));

    // Someone else's notification ids are not yours to mark.
    const others = await call<{ marked: number }>(owner, 'POST', '/notifications/read', { ids: [second?.id] });
    expect(others.marked).toBe(0);
    expect(await call(viewer, 'POST', '/notifications/read', { all: true })).toEqual({ marked: all.unreadCount - 1, unreadCount: 0 });
    const bad = await h.request(viewer, 'POST', `${org()}/notifications/read`, { ids: [], all: true });
    expect(bad.status).toBe(400);
  });

  it('tells the project’s people when a sprint starts and completes', async () => {
    const { owner, admin, member } = actors();
    await call(owner, 'POST', `/projects/${projectId}/members`, { userId: admin.userId, role: 'contributor' });
    const sprint = await call<{ id: string }>(owner, 'POST', `/projects/${projectId}/sprints`, { name: 'Sprint 1' });
    await newTask(owner, { sprintId: sprint.id, assigneeId: member.userId });
    await call(owner, 'POST', `/sprints/${sprint.id}/start`);
    await call(owner, 'POST', `/sprints/${sprint.id}/complete`, { moveUnfinishedTo: 'backlog' });
    for (const person of [admin, member]) {
      const types = (await inbox(person)).items.filter((n) => n.sprintId === sprint.id).map((n) => n.type).sort();
      expect(types).toEqual(['sprint_completed', 'sprint_started']);
    }
    expect((await inbox(owner)).items.filter((n) => n.sprintId === sprint.id)).toEqual([]);
  });

  it('tells the inviter when their invitation is accepted', async () => {
    const { admin } = actors();
    const person = await h.signUp('joiner');
    const invitation = await call<{ id: string }>(admin, 'POST', '/invitations', { email: person.email });
    expect((await h.request(person, 'POST', `/api/v1/invitations/${invitation.id}/accept`)).status).toBe(200);
    expect((await inbox(admin)).items.find((n) => n.invitationId === invitation.id)).toMatchObject({ type: 'invitation_accepted', actorId: person.userId });
  });

  it('keeps inboxes per person and per organization', async () => {
    const outsider = h.tenantB.actors.owner;
    const response = await h.request(outsider, 'GET', `${org()}/notifications`);
    expect(response.status).toBe(404);
    const own = (await (await h.request(outsider, 'GET', `/api/v1/orgs/${h.tenantB.organizationId}/notifications`)).json()) as Inbox;
    expect(own).toEqual({ items: [], unreadCount: 0, nextCursor: null });
  });
});
