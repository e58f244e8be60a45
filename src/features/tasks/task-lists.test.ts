import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, type Tenant, createApiHarness } from '../../../test/support/api.js';
import { TASK_SORTS } from './sort.js';

type Person = { id: string; name: string; image: string | null };
type TaskBody = {
  id: string; ref: string; projectKey: string; projectId: string; status: string; priority: string; dueDate: string | null;
  assigneeId: string | null; assignee: Person | null; reporter: Person | null; sprintId: string | null; position: string;
};
type Page = { items: TaskBody[]; nextCursor: string | null };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

describe('task lists, references and embedded people', () => {
  let h: ApiHarness;
  let member: Actor;
  let web: string;
  let app: string;
  let sprint: string;
  const base = (tenant: Tenant) => `/api/v1/orgs/${tenant.organizationId}`;
  async function send<T = TaskBody>(actor: Actor, method: string, path: string, body?: unknown, tenant?: Tenant) {
    const response = await h.request(actor, method, `${base(tenant ?? h.tenantA)}${path}`, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (await response.json()) as T };
  }
  const refs = (page: Page) => page.items.map((t) => t.ref);
  const list = async (path: string, actor = member) => (await send<Page>(actor, 'GET', path)).body;

  beforeAll(async () => {
    h = await createApiHarness();
    member = h.tenantA.actors.member;
    const { admin } = h.tenantA.actors;
    web = (await send<{ id: string }>(member, 'POST', '/projects', { name: 'Web', key: 'WEB' })).body.id;
    app = (await send<{ id: string }>(member, 'POST', '/projects', { name: 'App', key: 'APP' })).body.id;
    sprint = (await send<{ id: string }>(member, 'POST', `/projects/${web}/sprints`, { name: 'Sprint 1' })).body.id;
    const bulk = (project: string, items: object[]) => send<Page>(member, 'POST', `/projects/${project}/tasks/bulk`, { items });
    await bulk(web, [
      { title: 'w1', priority: 'low', dueDate: '2026-12-24', assigneeId: member.userId, sprintId: sprint },
      { title: 'w2', priority: 'urgent', status: 'in_progress', assigneeId: admin.userId },
      { title: 'w3', priority: 'high', dueDate: '2026-12-01', status: 'done', type: 'bug' },
      { title: 'w4', priority: 'medium', dueDate: '2026-12-24', sprintId: sprint },
      { title: 'w5', priority: 'urgent' },
    ]);
    await bulk(app, [{ title: 'a1', priority: 'high', assigneeId: member.userId }, { title: 'a2', dueDate: '2027-01-05' }]);
    // Another tenant, with the same project key: its tasks never show up in A's lists.
    const b = h.tenantB.actors.member;
    const bProject = (await send<{ id: string }>(b, 'POST', '/projects', { name: 'Theirs', key: 'WEB' }, h.tenantB)).body.id;
    await send(b, 'POST', `/projects/${bProject}/tasks`, { title: 'theirs' }, h.tenantB);
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('sends a task with the same fields from the list, the one-task read and a write, and no sort value', async () => {
    const [first] = (await list(`/projects/${web}/tasks?sort=priority`)).items;
    if (!first) throw new Error('no task listed');
    const one = (await send<Record<string, unknown>>(member, 'GET', `/tasks/${first.id}`)).body;
    const written = (await send<Record<string, unknown>>(member, 'PATCH', `/tasks/${first.id}`, { storyPoints: 2 })).body;
    expect(Object.keys(first).sort()).toEqual(Object.keys(written).sort());
    expect(Object.keys(one).sort()).toEqual(Object.keys(written).sort());
    expect(first).not.toHaveProperty('sortValue');
    expect({ ...one, storyPoints: 2, updatedAt: written.updatedAt }).toEqual(written);
  });

  it('finds a task by id or by reference, the key in any case; an unknown or foreign reference is 404', async () => {
    const byRef = await send(member, 'GET', '/tasks/WEB-2');
    expect(byRef).toMatchObject({ status: 200, body: { ref: 'WEB-2', projectKey: 'WEB', priority: 'urgent' } });
    expect((await send(member, 'GET', '/tasks/web-2')).body.id).toBe(byRef.body.id);
    expect((await send(member, 'GET', `/tasks/${byRef.body.id}`)).body.ref).toBe('WEB-2');
    expect((await send(member, 'PATCH', '/tasks/WEB-2', { title: 'w2 renamed' })).body).toMatchObject({ id: byRef.body.id });
    expect((await send<ErrorBody>(member, 'GET', '/tasks/WEB-99')).status).toBe(404);
    expect((await send<ErrorBody>(member, 'GET', '/tasks/NOPE-1')).status).toBe(404);
    expect((await send<ErrorBody>(member, 'GET', '/tasks/WEB-0')).status).toBe(400);
    // B's WEB-1 through B's organization is B's own task, never A's.
    const theirs = await send(h.tenantB.actors.member, 'GET', '/tasks/WEB-1', undefined, h.tenantB);
    expect(theirs.body.id).not.toBe((await send(member, 'GET', '/tasks/WEB-1')).body.id);
    expect((await send<ErrorBody>(h.tenantB.actors.member, 'GET', `/tasks/${byRef.body.id}`, undefined, h.tenantB)).status).toBe(404);
  });

  it('embeds the assignee and the reporter as { id, name, image }', async () => {
    const task = (await send(member, 'GET', '/tasks/WEB-1')).body;
    expect(task.assignee).toEqual({ id: member.userId, name: 'a-member', image: null });
    expect(task.reporter).toEqual({ id: member.userId, name: 'a-member', image: null });
    expect((await send(member, 'GET', '/tasks/WEB-3')).body.assignee).toBeNull();
  });

  it('filters by comma lists, me, none and the backlog', async () => {
    const inWeb = (query: string) => list(`/projects/${web}/tasks?${query}`);
    expect(refs(await inWeb(''))).toEqual(['WEB-1', 'WEB-2', 'WEB-3', 'WEB-4', 'WEB-5']);
    expect(refs(await inWeb('status=in_progress,done'))).toEqual(['WEB-2', 'WEB-3']);
    expect(refs(await inWeb('priority=urgent,low'))).toEqual(['WEB-1', 'WEB-2', 'WEB-5']);
    expect(refs(await inWeb('type=bug'))).toEqual(['WEB-3']);
    expect(refs(await inWeb('assigneeId=me'))).toEqual(['WEB-1']);
    expect(refs(await inWeb('assigneeId=none'))).toEqual(['WEB-3', 'WEB-4', 'WEB-5']);
    expect(refs(await inWeb(`assigneeId=me,${h.tenantA.actors.admin.userId}`))).toEqual(['WEB-1', 'WEB-2']);
    expect(refs(await inWeb('sprintId=none'))).toEqual(['WEB-2', 'WEB-3', 'WEB-5']);
    expect(refs(await inWeb(`sprintId=${sprint}`))).toEqual(['WEB-1', 'WEB-4']);
    expect(refs(await inWeb('epicId=none&dueBefore=2026-12-24'))).toEqual(['WEB-3']);
    const bad = await send<ErrorBody>(member, 'GET', `/projects/${web}/tasks?status=todo,nope&assigneeId=someone`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path)).toEqual(['status', 'assigneeId']);
  });

  it('lists every task of the organization across projects, and "my work" with assigneeId=me', async () => {
    const everything = await list('/tasks?limit=100', h.tenantA.actors.viewer);
    expect(refs(everything).sort()).toEqual(['APP-1', 'APP-2', 'WEB-1', 'WEB-2', 'WEB-3', 'WEB-4', 'WEB-5']);
    // Newest change first by default: WEB-2 was renamed last.
    expect(refs(everything)[0]).toBe('WEB-2');
    expect(refs(await list('/tasks?assigneeId=me&sort=created'))).toEqual(['WEB-1', 'APP-1']);
    expect(refs(await list(`/tasks?projectId=${app}&sort=position`))).toEqual(['APP-1', 'APP-2']);
    expect(refs(await list('/tasks?status=done'))).toEqual(['WEB-3']);
  });

  it('answers "is there such a task?" with ?ref=: that task, or an empty page (never a 404), only in the caller\'s tenant', async () => {
    expect(refs(await list('/tasks?ref=web-4', h.tenantA.actors.viewer))).toEqual(['WEB-4']);
    expect(refs(await list(`/tasks?ref=APP-2&projectId=${app}`))).toEqual(['APP-2']);
    expect(await list(`/tasks?ref=APP-2&projectId=${web}`)).toEqual({ items: [], nextCursor: null });
    expect(await list('/tasks?ref=WEB-99')).toEqual({ items: [], nextCursor: null });
    expect(await list('/tasks?ref=NOPE-1')).toEqual({ items: [], nextCursor: null });
    // B also has a WEB-1: through B's organization it is B's own task, never A's.
    const theirs = (await send<Page>(h.tenantB.actors.member, 'GET', '/tasks?ref=WEB-1', undefined, h.tenantB)).body;
    expect(theirs.items.map((t) => t.id)).not.toContain((await list('/tasks?ref=WEB-1')).items[0]?.id);
    expect(theirs.items).toHaveLength(1);
    for (const bad of ['WEB-0', 'WEB', 'W-1', 'WEB-1,WEB-2']) {
      expect((await send<ErrorBody>(member, 'GET', `/tasks?ref=${bad}`)).status, bad).toBe(400);
    }
  });

  it.each(TASK_SORTS)('pages through sort=%s in order, each task once, nulls last', async (sort) => {
    const [{ rows }] = [{ rows: await h.test.db.query<{ id: string; position: string; priority: number; updated: string; created: string; due: string | null }>(
      `select id::text as id, position, array_position(array['low','medium','high','urgent'], priority) as priority,
              to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as updated,
              to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as created, due_date::text as due
         from tasks where organization_id = $1 and deleted_at is null`,
      [h.tenantA.organizationId],
    ) }];
    const descending = sort.startsWith('-');
    const key = sort.replace('-', '') as 'position' | 'priority' | 'updated' | 'created' | 'due';
    const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
    const expected = [...rows].sort((a, b) => {
      const [x, y] = [a[key], b[key]];
      if (x === null || y === null) return x === y ? compare(a.id, b.id) * (descending ? -1 : 1) : x === null ? 1 : -1;
      return (compare(x, y) || compare(a.id, b.id)) * (descending ? -1 : 1);
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`/tasks?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('puts the most urgent first with sort=-priority and undated tasks last either way', async () => {
    const priorities = (await list(`/projects/${web}/tasks?sort=-priority`)).items.map((t) => t.priority);
    expect(priorities).toEqual(['urgent', 'urgent', 'high', 'medium', 'low']);
    expect((await list(`/projects/${web}/tasks?sort=-due`)).items.map((t) => t.dueDate)).toEqual(['2026-12-24', '2026-12-24', '2026-12-01', null, null]);
    expect((await list(`/projects/${web}/tasks?sort=due`)).items.map((t) => t.dueDate)).toEqual(['2026-12-01', '2026-12-24', '2026-12-24', null, null]);
  });

  it('refuses a cursor from another sort, a forged one and an unknown sort', async () => {
    const page = await list(`/projects/${web}/tasks?sort=due&limit=1`);
    const forge = (s: string, v: string) => Buffer.from(JSON.stringify({ s, v, id: crypto.randomUUID() })).toString('base64url');
    for (const query of [`sort=-due&cursor=${page.nextCursor}`, `sort=due&cursor=${forge('due', '2026-13-45')}`, `sort=due&cursor=${forge('due', '2026-02-30')}`, `sort=due&cursor=${forge('due', '0000-01-01')}`,
      `sort=updated&cursor=${forge('updated', '2026-01-01 00:00')}`, `sort=position&cursor=${forge('position', "a0' or 1=1")}`, 'cursor=bm9wZQ', 'sort=title']) {
      const response = await send<ErrorBody>(member, 'GET', `/projects/${web}/tasks?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});
