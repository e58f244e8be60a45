import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { type SseMessage, type SseReader, readSse } from '../../../test/support/sse.js';
import { RecentIds, eventIdAt, timeOfEventId } from './hub.js';

/** In one process, on either engine: PGlite's own LISTEN/NOTIFY carries the events here. */
describe('live events (GET /orgs/{orgId}/events)', () => {
  let h: ApiHarness;
  let projectId: string;
  const streams: SseReader[] = [];
  const org = (id = h.tenantA.organizationId) => `/api/v1/orgs/${id}`;

  async function open(actor: Actor, organizationId: string, lastEventId?: string) {
    const response = await h.app.request(`${org(organizationId)}/events`, {
      headers: { authorization: `Bearer ${actor.token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = readSse(response);
    streams.push(stream);
    await stream.next((m) => m.comment === 'ready');
    return stream;
  }
  const ofKind = (kind: string, id?: string) => (m: SseMessage) => m.event === kind && (id === undefined || m.data?.includes(id) === true);

  beforeAll(async () => {
    // Every event asks again whether its member still is one, so the test need not wait out the 5 s.
    h = await createApiHarness({ liveMembershipTtlMs: 0 });
    const created = await h.request(h.tenantA.actors.owner, 'POST', `${org()}/projects`, { name: 'Live', key: 'LIVE' });
    projectId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.close()));
    await h.destroy();
  });

  it("delivers a member the kind and ids of a change, never content, and nothing to another tenant", async () => {
    const member = await open(h.tenantA.actors.member, h.tenantA.organizationId);
    const outsider = await open(h.tenantB.actors.owner, h.tenantB.organizationId);
    const created = await h.request(h.tenantA.actors.owner, 'POST', `${org()}/projects/${projectId}/tasks`, { title: 'Secret title' });
    const task = (await created.json()) as { id: string };

    const event = await member.next(ofKind('task.created', task.id));
    expect(JSON.parse(event.data ?? '')).toEqual({ kind: 'task.created', organizationId: h.tenantA.organizationId, projectId, id: task.id });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(member.messages.some((m) => m.data?.includes('Secret'))).toBe(false);

    // The other tenant's stream sees its own change, and still nothing of tenant A's.
    await h.request(h.tenantB.actors.owner, 'POST', `${org(h.tenantB.organizationId)}/projects`, { name: 'Other', key: 'OTHR' });
    const otherTask = await h.request(h.tenantB.actors.owner, 'GET', `${org(h.tenantB.organizationId)}/tasks`);
    expect(otherTask.status).toBe(200);
    expect(outsider.messages.filter((m) => m.event).map((m) => m.data ?? '').join()).not.toContain(h.tenantA.organizationId);
  });

  it('announces comments, status changes and the notifications they cause', async () => {
    const { owner, member } = h.tenantA.actors;
    const stream = await open(owner, h.tenantA.organizationId);
    const task = (await (await h.request(owner, 'POST', `${org()}/projects/${projectId}/tasks`, { title: 'Watched' })).json()) as { id: string };
    const comment = (await (await h.request(member, 'POST', `${org()}/tasks/${task.id}/comments`, { body: 'hello' })).json()) as { id: string };
    await stream.next(ofKind('comment.created', comment.id));
    await stream.next(ofKind('notifications.created', task.id));
    await h.request(member, 'PATCH', `${org()}/tasks/${task.id}`, { status: 'in_review' });
    await stream.next(ofKind('task.updated', task.id));
  });

  it('replays what a client missed when it resumes with Last-Event-ID', async () => {
    const { owner, viewer } = h.tenantA.actors;
    const first = await open(viewer, h.tenantA.organizationId);
    const task = (await (await h.request(owner, 'POST', `${org()}/projects/${projectId}/tasks`, { title: 'Before' })).json()) as { id: string };
    const seen = await first.next(ofKind('task.created', task.id));
    await first.close();

    await h.request(owner, 'PATCH', `${org()}/tasks/${task.id}`, { title: 'While away' });
    await h.request(owner, 'DELETE', `${org()}/tasks/${task.id}`);

    const resumed = await open(viewer, h.tenantA.organizationId, seen.id);
    const replayed = resumed.messages.filter((m) => m.event);
    expect(replayed.map((m) => m.event)).toEqual(['task.updated', 'task.deleted']);
    expect(replayed.every((m) => m.data?.includes(task.id))).toBe(true);

    // Another tenant's event id resumes nothing of this tenant's, and a junk id is ignored.
    const junk = await open(viewer, h.tenantA.organizationId, 'not-an-id');
    expect(junk.messages.filter((m) => m.event)).toEqual([]);
  });

  it('answers 404 for an organization the caller is not in', async () => {
    const response = await h.request(h.tenantB.actors.owner, 'GET', `${org()}/events`);
    expect(response.status).toBe(404);
  });

  it('ends the stream of a member removed or given another role, at their next event', async () => {
    const { owner, member, viewer } = h.tenantA.actors;
    const newTask = async (title: string) => ((await (await h.request(owner, 'POST', `${org()}/projects/${projectId}/tasks`, { title })).json()) as { id: string }).id;
    const [removed, promoted] = [await open(viewer, h.tenantA.organizationId), await open(member, h.tenantA.organizationId)];
    const before = await newTask('Seen by both');
    await removed.next(ofKind('task.created', before));
    await promoted.next(ofKind('task.created', before));

    expect((await h.request(owner, 'DELETE', `${org()}/members/${viewer.userId}`)).status).toBeLessThan(300);
    expect((await h.request(owner, 'PATCH', `${org()}/members/${member.userId}`, { role: 'admin' })).status).toBe(200);
    const after = await newTask('Seen by neither stream');
    await expect(removed.next(ofKind('task.created', after), 3_000)).rejects.toThrow(/the stream ended/);
    // The promoted member reconnects and is served with the new role.
    await expect(promoted.next(ofKind('task.created', after), 3_000)).rejects.toThrow(/the stream ended/);
    expect((await h.request(viewer, 'GET', `${org()}/events`)).status).toBe(404);
    const again = await open(member, h.tenantA.organizationId);
    const third = await newTask('Seen again');
    await again.next(ofKind('task.created', third));
  });
});

describe('live event ids', () => {
  it('orders by time, so a replay can start a few seconds early', () => {
    const at = Date.UTC(2026, 11, 2, 12, 0, 0);
    expect(timeOfEventId(eventIdAt(at))).toBe(at);
    expect(eventIdAt(at) < eventIdAt(at + 1)).toBe(true);
  });

  it('drops an id seen lately, and forgets the oldest beyond its capacity', () => {
    const recent = new RecentIds(2);
    expect([recent.admit('a'), recent.admit('a'), recent.admit('b'), recent.admit('c'), recent.admit('a')]).toEqual([true, false, true, true, true]);
  });
});
