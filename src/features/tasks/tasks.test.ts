import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, type Tenant, createApiHarness } from '../../../test/support/api.js';

type TaskBody = { id: string; number: number; ref: string; status: string; completedAt: string | null; assigneeId: string | null; epicId: string | null; title: string };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

describe('tasks API', () => {
  let h: ApiHarness;
  let webProjectId: string;
  const org = (tenant: Tenant) => `/api/v1/orgs/${tenant.organizationId}`;
  async function send<T = TaskBody>(actor: Actor | null, method: string, path: string, body?: unknown) {
    const response = await h.request(actor, method, path, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }
  const countTasks = async () => (await h.test.db.query('select count(*)::int as n from tasks'))[0];

  beforeAll(async () => {
    h = await createApiHarness();
    const project = await send<{ id: string }>(h.tenantA.actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Website', key: 'WEB' });
    webProjectId = project.body.id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  const inProject = (tenant: Tenant, projectId: string, rest = '') => `${org(tenant)}/projects/${projectId}/tasks${rest}`;

  it('numbers tasks per project, keeps completed_at with the status, and lets viewers read', async () => {
    const { actors } = h.tenantA;
    const first = await send(actors.member, 'POST', inProject(h.tenantA, webProjectId), { title: 'Login page crashes', type: 'bug', storyPoints: 3 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ number: 1, ref: 'WEB-1', status: 'todo', completedAt: null });
    const second = await send(actors.member, 'POST', inProject(h.tenantA, webProjectId), {
      title: 'Pricing page',
      assigneeId: actors.member.userId,
      dueDate: '2030-01-15',
    });
    expect(second.body).toMatchObject({ ref: 'WEB-2', assigneeId: actors.member.userId, dueDate: '2030-01-15' });

    const done = await send(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${first.body.id}`, { status: 'done' });
    expect(done.status).toBe(200);
    expect(done.body.completedAt).not.toBeNull();
    const reopened = await send(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${first.body.id}`, { status: 'in_progress', assigneeId: actors.admin.userId });
    expect(reopened.body).toMatchObject({ status: 'in_progress', completedAt: null, assigneeId: actors.admin.userId, ref: 'WEB-1' });

    const read = await send(actors.viewer, 'GET', `${org(h.tenantA)}/tasks/${second.body.id}`);
    expect(read).toMatchObject({ status: 200, body: { id: second.body.id, ref: 'WEB-2' } });
    expect(read.body).not.toHaveProperty('searchVector');
  });

  it('filters, searches and pages the list', async () => {
    const { actors } = h.tenantA;
    const list = async (query: string) =>
      (await send<{ items: TaskBody[]; nextCursor: string | null }>(actors.viewer, 'GET', `${inProject(h.tenantA, webProjectId)}?${query}`)).body;
    expect((await list('q=crash')).items.map((t) => t.ref)).toEqual(['WEB-1']);
    expect((await list('q=pricing -login')).items.map((t) => t.ref)).toEqual(['WEB-2']);
    expect((await list(`assigneeId=${actors.member.userId}`)).items.map((t) => t.ref)).toEqual(['WEB-2']);
    expect((await list('status=in_progress&type=bug')).items.map((t) => t.ref)).toEqual(['WEB-1']);
    expect((await list('dueBefore=2030-02-01')).items.map((t) => t.ref)).toEqual(['WEB-2']);
    expect((await list('dueBefore=2030-01-01')).items).toEqual([]);

    const page1 = await list('limit=1');
    expect(page1.items.map((t) => t.ref)).toEqual(['WEB-1']);
    const page2 = await list(`limit=1&cursor=${page1.nextCursor}`);
    expect(page2).toMatchObject({ items: [{ ref: 'WEB-2' }], nextCursor: null });
  });

  it('soft-deletes a task: hidden from reads, the row kept', async () => {
    const { actors } = h.tenantA;
    const task = await send(actors.member, 'POST', inProject(h.tenantA, webProjectId), { title: 'Throwaway' });
    expect((await send(actors.member, 'DELETE', `${org(h.tenantA)}/tasks/${task.body.id}`)).status).toBe(204);
    expect((await send(actors.viewer, 'GET', `${org(h.tenantA)}/tasks/${task.body.id}`)).status).toBe(404);
    const listed = await send<{ items: TaskBody[] }>(actors.viewer, 'GET', inProject(h.tenantA, webProjectId));
    expect(listed.body.items.map((t) => t.id)).not.toContain(task.body.id);
    const row = await h.test.db.query('select deleted_at from tasks where id = $1', [task.body.id]);
    expect(row).toHaveLength(1);
    expect((await send(actors.member, 'DELETE', `${org(h.tenantA)}/tasks/${task.body.id}`)).status).toBe(404);
  });

  it('creates a batch in one transaction, in order, or nothing at all', async () => {
    const { actors } = h.tenantA;
    const path = inProject(h.tenantA, webProjectId, '/bulk');
    const created = await send<{ items: TaskBody[] }>(actors.member, 'POST', path, { items: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] });
    expect(created.status).toBe(201);
    const numbers = created.body.items.map((t) => t.number);
    expect(created.body.items.map((t) => t.title)).toEqual(['A', 'B', 'C']);
    expect(numbers).toEqual([numbers[0], (numbers[0] ?? 0) + 1, (numbers[0] ?? 0) + 2]);

    const before = await countTasks();
    const invalid = await send<ErrorBody>(actors.member, 'POST', path, { items: [{ title: 'fine' }, { title: 'fine' }, { title: '' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details?.map((d) => d.path)).toEqual(['items.2.title']);
    const foreignEpic = crypto.randomUUID();
    const missing = await send<ErrorBody>(actors.member, 'POST', path, { items: [{ title: 'fine' }, { title: 'x', epicId: foreignEpic }] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details?.map((d) => d.path)).toEqual(['items.1.epicId']);
    const tooMany = await send<ErrorBody>(actors.member, 'POST', path, { items: Array.from({ length: 101 }, (_, i) => ({ title: `T${i}` })) });
    expect(tooMany.status).toBe(400);
    expect((await send<ErrorBody>(actors.member, 'POST', path, { items: [] })).status).toBe(400);
    expect(await countTasks()).toEqual(before);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { actors } = h.tenantA;
    const before = await countTasks();
    const bad = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, webProjectId), {
      title: '',
      status: 'finished',
      storyPoints: 101,
      dueDate: 'tomorrow',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['title', 'status', 'storyPoints', 'dueDate']));
    const extra = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, webProjectId), { title: 'ok', number: 7 });
    expect(extra).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect(await countTasks()).toEqual(before);

    const [task] = await h.test.db.query<{ id: string }>(`select id from tasks where deleted_at is null limit 1`);
    const empty = await send<ErrorBody>(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${task?.id}`, {});
    expect(empty.status).toBe(400);
    const badPatch = await send<ErrorBody>(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${task?.id}`, { priority: 'asap' });
    expect(badPatch.body.error.details?.map((d) => d.path)).toEqual(['priority']);
    const badFilter = await send<ErrorBody>(actors.viewer, 'GET', `${inProject(h.tenantA, webProjectId)}?status=someday&limit=500`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['status', 'limit']));
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { actors } = h.tenantA;
    const [task] = await h.test.db.query<{ id: string }>(`select id from tasks where deleted_at is null limit 1`);
    const byId = `${org(h.tenantA)}/tasks/${task?.id}`;
    const routes: [string, string, unknown?][] = [
      ['GET', inProject(h.tenantA, webProjectId)],
      ['POST', inProject(h.tenantA, webProjectId), { title: 'x' }],
      ['POST', inProject(h.tenantA, webProjectId, '/bulk'), { items: [{ title: 'x' }] }],
      ['GET', byId],
      ['PATCH', byId, { title: 'x' }],
      ['DELETE', byId],
    ];
    for (const [method, path, body] of routes) {
      expect(await send<ErrorBody>(null, method, path, body)).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
      if (method !== 'GET') {
        expect(await send<ErrorBody>(actors.viewer, method, path, body)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      }
    }
    expect((await send(actors.viewer, 'GET', byId)).status).toBe(200);
  });

  it('lists an empty project as an empty page, and a missing or deleted project as 404', async () => {
    const { actors } = h.tenantA;
    const empty = await send<{ id: string }>(actors.admin, 'POST', `${org(h.tenantA)}/projects`, { name: 'Empty', key: 'EMPTY' });
    const page = await send<{ items: unknown[] }>(actors.viewer, 'GET', inProject(h.tenantA, empty.body.id));
    expect(page).toMatchObject({ status: 200, body: { items: [] } });
    expect((await send(actors.viewer, 'GET', inProject(h.tenantA, empty.body.id, '?status=done'))).status).toBe(200);

    expect((await send(actors.viewer, 'GET', inProject(h.tenantA, crypto.randomUUID()))).status).toBe(404);
    const doomed = await send<{ id: string }>(actors.admin, 'POST', `${org(h.tenantA)}/projects`, { name: 'Doomed', key: 'DOOM' });
    await send(actors.member, 'POST', inProject(h.tenantA, doomed.body.id), { title: 'Left behind' });
    expect((await send(actors.admin, 'DELETE', `${org(h.tenantA)}/projects/${doomed.body.id}`)).status).toBe(204);
    expect((await send(actors.viewer, 'GET', inProject(h.tenantA, doomed.body.id))).status).toBe(404);
  });

  it("answers 404 for another tenant's tasks, projects and referenced ids, and leaves A's rows alone", async () => {
    const a = h.tenantA;
    const b = h.tenantB;
    const mine = await send(a.actors.member, 'POST', inProject(a, webProjectId), { title: 'Secret task' });
    const epic = await send<{ id: string }>(a.actors.member, 'POST', `${org(a)}/projects/${webProjectId}/epics`, { title: 'Secret epic' });
    const outsider = b.actors.owner;
    const own = await send<{ id: string }>(outsider, 'POST', `${org(b)}/projects`, { name: 'Theirs', key: 'THEM' });

    const attempts = [
      await send<ErrorBody>(outsider, 'GET', `${org(a)}/tasks/${mine.body.id}`),
      await send<ErrorBody>(outsider, 'GET', `${org(b)}/tasks/${mine.body.id}`),
      await send<ErrorBody>(outsider, 'PATCH', `${org(b)}/tasks/${mine.body.id}`, { title: 'pwned' }),
      await send<ErrorBody>(outsider, 'DELETE', `${org(b)}/tasks/${mine.body.id}`),
      await send<ErrorBody>(outsider, 'GET', inProject(b, webProjectId)),
      await send<ErrorBody>(outsider, 'POST', inProject(b, webProjectId), { title: 'into their project' }),
      await send<ErrorBody>(outsider, 'POST', inProject(b, webProjectId, '/bulk'), { items: [{ title: 'into their project' }] }),
      await send<ErrorBody>(outsider, 'POST', inProject(b, own.body.id), { title: 'x', epicId: epic.body.id }),
      await send<ErrorBody>(outsider, 'POST', inProject(b, own.body.id), { title: 'x', assigneeId: a.actors.member.userId }),
    ];
    expect(attempts.map((r) => r.status)).toEqual(attempts.map(() => 404));
    const missing = await send<ErrorBody>(outsider, 'GET', `${org(b)}/tasks/${crypto.randomUUID()}`);
    expect(attempts[1]?.body).toEqual(missing.body);

    const after = await send(a.actors.viewer, 'GET', `${org(a)}/tasks/${mine.body.id}`);
    expect(after.body).toMatchObject({ title: 'Secret task', status: 'todo' });
    const theirs = await h.test.db.query('select count(*)::int as n from tasks where organization_id = $1', [b.organizationId]);
    expect(theirs[0]).toEqual({ n: 0 });
  });

  it('stops at the plan limit, counting the whole batch', async () => {
    const { actors } = h.tenantB;
    const project = await send<{ id: string }>(actors.owner, 'POST', `${org(h.tenantB)}/projects`, { name: 'Busy', key: 'BUSY' });
    const path = inProject(h.tenantB, project.body.id, '/bulk');
    const hundred = { items: Array.from({ length: 100 }, (_, i) => ({ title: `Task ${i}` })) };
    expect((await send(actors.member, 'POST', path, hundred)).status).toBe(201);
    expect((await send(actors.member, 'POST', path, { items: hundred.items.slice(0, 99) })).status).toBe(201);
    const overflow = await send<ErrorBody>(actors.member, 'POST', path, { items: [{ title: 'one' }, { title: 'two' }] });
    expect(overflow).toMatchObject({ status: 403, body: { error: { code: 'limit_exceeded', details: { limit: 200, used: 199 } } } });
    expect((await send(actors.member, 'POST', inProject(h.tenantB, project.body.id), { title: 'the last one' })).status).toBe(201);
    const full = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantB, project.body.id), { title: 'one too many' });
    expect(full).toMatchObject({ status: 403, body: { error: { code: 'limit_exceeded' } } });
    const count = await h.test.db.query('select count(*)::int as n from tasks where organization_id = $1', [h.tenantB.organizationId]);
    expect(count[0]).toEqual({ n: 200 });
  });
});
