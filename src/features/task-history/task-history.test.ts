import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Entry = { id: string; at: string; actor: { id: string; name: string; image: string | null } | null; action: string; changes: { field: string; from: unknown; to: unknown }[] };
type Page = { items: Entry[]; nextCursor: string | null };

describe('task history API', () => {
  let h: ApiHarness;
  let taskId: string;
  let reference: string;
  let otherTaskId: string;
  const secretWords = 'words that were deleted';

  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId: org, actors } = h.tenantA;
    const send = async (actor = actors.member, method: string, path: string, body?: unknown) => {
      const response = await h.request(actor, method, `/api/v1/orgs/${org}${path}`, body);
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      return response.status === 204 ? null : ((await response.json()) as { id: string; number: number; key: string });
    };
    const project = await send(actors.member, 'POST', '/projects', { name: 'History', key: 'HIS' });
    const task = await send(actors.member, 'POST', `/projects/${project?.id}/tasks`, { title: 'First title' });
    const other = await send(actors.member, 'POST', `/projects/${project?.id}/tasks`, { title: 'Another task' });
    taskId = task?.id ?? '';
    otherTaskId = other?.id ?? '';
    reference = `his-${task?.number}`;
    await send(actors.admin, 'PATCH', `/tasks/${taskId}`, { title: 'Second title', status: 'in_progress', assigneeId: actors.member.userId });
    await send(actors.member, 'PATCH', `/tasks/${otherTaskId}`, { title: 'Not this one' });
    await send(actors.member, 'POST', `/tasks/${otherTaskId}/comments`, { body: 'A comment on another task' });
    const comment = await send(actors.member, 'POST', `/tasks/${taskId}/comments`, { body: secretWords });
    await send(actors.member, 'PATCH', `/comments/${comment?.id}`, { body: `${secretWords}, edited` });
    await send(actors.member, 'DELETE', `/comments/${comment?.id}`);
  });
  afterAll(async () => {
    await h.destroy();
  });

  const path = (id: string, query = '', orgId = h.tenantA.organizationId) => `/api/v1/orgs/${orgId}/tasks/${id}/history${query}`;
  const read = async (id: string, query = '', actor = h.tenantA.actors.viewer) => {
    const response = await h.request(actor, 'GET', path(id, query));
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  it('tells a viewer who changed what on the task and its comments, newest first, and nothing of other rows', async () => {
    const { actors } = h.tenantA;
    const { items, nextCursor } = await read(taskId);
    expect(nextCursor).toBeNull();
    expect(items.map((e) => [e.action, e.actor?.id])).toEqual([
      ['comment_deleted', actors.member.userId],
      ['comment_edited', actors.member.userId],
      ['commented', actors.member.userId],
      ['updated', actors.admin.userId],
      ['created', actors.member.userId],
    ]);
    expect(items[3]?.changes).toEqual([
      { field: 'assigneeId', from: null, to: actors.member.userId },
      { field: 'status', from: 'todo', to: 'in_progress' },
      { field: 'title', from: 'First title', to: 'Second title' },
    ]);
    expect(items[3]?.actor).toEqual({ id: actors.admin.userId, name: 'a-admin', image: null });
    const text = JSON.stringify(items);
    expect(text).not.toContain('Not this one');
    expect(text).not.toContain(secretWords);
    expect(text).not.toContain(h.tenantA.organizationId);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['action', 'actor', 'at', 'changes', 'id']);
  });

  it('finds the task by its reference, case-insensitively', async () => {
    expect(await read(reference)).toEqual(await read(taskId));
  });

  it('pages by keyset without skipping or repeating an entry', async () => {
    const all = await read(taskId, '?limit=100');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await read(taskId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));
  });

  it('names a soft delete as such, and then the task is gone (404)', async () => {
    const { organizationId: org, actors } = h.tenantA;
    expect((await h.request(actors.member, 'DELETE', `/api/v1/orgs/${org}/tasks/${otherTaskId}`)).status).toBe(204);
    expect((await h.request(actors.viewer, 'GET', path(otherTaskId))).status).toBe(404);
  });

  it('answers 401 without a session, 404 for another tenant, an unknown task or reference, 400 for a bad cursor or id', async () => {
    const outsider = h.tenantB.actors.owner;
    expect((await h.request(null, 'GET', path(taskId))).status).toBe(401);
    expect((await h.request(outsider, 'GET', path(taskId))).status).toBe(404);
    expect((await h.request(outsider, 'GET', path(taskId, '', h.tenantB.organizationId))).status).toBe(404);
    expect((await h.request(outsider, 'GET', path(reference, '', h.tenantB.organizationId))).status).toBe(404);
    for (const unknown of [crypto.randomUUID(), 'HIS-999', 'NOPE-1', 'HIS-9999999999']) {
      expect((await h.request(h.tenantA.actors.viewer, 'GET', path(unknown))).status, unknown).toBe(404);
    }
    for (const bad of [path('not-a-task'), path(taskId, '?cursor=garbage'), path(taskId, '?limit=1000')]) {
      expect((await h.request(h.tenantA.actors.viewer, 'GET', bad)).status, bad).toBe(400);
    }
  });
});
