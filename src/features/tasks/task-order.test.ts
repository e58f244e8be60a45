import { generateKeyBetween } from 'fractional-indexing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { nthPositionKey } from './position.js';

type TaskBody = { id: string; ref: string; status: string; position: string; updatedAt: string };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

/** Positions order a project byte-wise, as COLLATE "C" does. */
const byPosition = (a: TaskBody, b: TaskBody) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0);

describe('task order: positions and moves', () => {
  let h: ApiHarness;
  let member: Actor;
  let org: string;
  let projectId: string;
  async function send<T = TaskBody>(method: string, path: string, body?: unknown, actor = member) {
    const response = await h.request(actor, method, `${org}${path}`, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (await response.json()) as T };
  }
  const newProject = async (key: string) => (await send<{ id: string }>('POST', '/projects', { name: `Order ${key}`, key })).body.id;
  const create = async (title: string, project = projectId) => (await send('POST', `/projects/${project}/tasks`, { title })).body;
  const board = async (project = projectId) =>
    (await send<{ items: TaskBody[] }>('GET', `/projects/${project}/tasks?limit=100`)).body.items.map((t) => t.ref);
  const move = (task: string, body: object) => send('POST', `/tasks/${task}/move`, body);

  beforeAll(async () => {
    h = await createApiHarness();
    member = h.tenantA.actors.member;
    org = `/api/v1/orgs/${h.tenantA.organizationId}`;
    projectId = await newProject('ORD');
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('appends new tasks to the end of their project, one batch in the order given', async () => {
    const first = await create('one');
    const second = await create('two');
    expect([first.position, second.position]).toEqual(['a0', 'a1']);
    const batch = await send<{ items: TaskBody[] }>('POST', `/projects/${projectId}/tasks/bulk`, { items: [{ title: 'three' }, { title: 'four' }] });
    expect(batch.body.items.map((t) => t.position)).toEqual(['a2', 'a3']);
    expect(await board()).toEqual(['ORD-1', 'ORD-2', 'ORD-3', 'ORD-4']);
  });

  it('moves a task after one, before one, between two and to the end, writing only the moved row', async () => {
    const ids = Object.fromEntries((await send<{ items: TaskBody[] }>('GET', `/projects/${projectId}/tasks`)).body.items.map((t) => [t.ref, t.id]));
    const auditRows = async () => (await h.test.db.query<{ n: number }>(`select count(*)::int as n from audit_logs where resource_type = 'tasks' and action = 'update'`))[0]?.n;
    const updatedAt = async () => (await h.test.db.query<{ id: string; at: string }>(`select id::text as id, updated_at::text as at from tasks where project_id = $1 order by id`, [projectId]));
    const audited = await auditRows();
    const before = await updatedAt();

    const moved = await move('ORD-1', { afterId: ids['ORD-3'] });
    expect(moved).toMatchObject({ status: 200, body: { ref: 'ORD-1', status: 'todo' } });
    expect(await board()).toEqual(['ORD-2', 'ORD-3', 'ORD-1', 'ORD-4']);
    expect(await auditRows()).toBe((audited ?? 0) + 1);
    const after = await updatedAt();
    expect(after.filter((row, i) => row.at !== before[i]?.at).map((row) => row.id)).toEqual([ids['ORD-1']]);

    await move('ord-4', { beforeId: ids['ORD-2'], status: 'in_progress' });
    expect(await board()).toEqual(['ORD-4', 'ORD-2', 'ORD-3', 'ORD-1']);
    expect((await send('GET', '/tasks/ORD-4')).body.status).toBe('in_progress');

    await move('ORD-1', { afterId: ids['ORD-4'], beforeId: ids['ORD-2'] });
    expect(await board()).toEqual(['ORD-4', 'ORD-1', 'ORD-2', 'ORD-3']);

    await move('ORD-4', {});
    expect(await board()).toEqual(['ORD-1', 'ORD-2', 'ORD-3', 'ORD-4']);
    // Moving again to the same place is still one valid write.
    expect((await move('ORD-4', { afterId: ids['ORD-3'] })).status).toBe(200);
    expect(await board()).toEqual(['ORD-1', 'ORD-2', 'ORD-3', 'ORD-4']);

    // A stale view: ORD-2 now sits between the neighbours the client saw; the task lands right after afterId.
    expect((await move('ORD-4', { afterId: ids['ORD-1'], beforeId: ids['ORD-3'] })).status).toBe(200);
    expect(await board()).toEqual(['ORD-1', 'ORD-4', 'ORD-2', 'ORD-3']);
  });

  it('refuses neighbours that are missing, the task itself, in another project or out of order, writing nothing', async () => {
    const other = await create('elsewhere', await newProject('OTH'));
    const [a, b] = (await send<{ items: TaskBody[] }>('GET', `/projects/${projectId}/tasks?limit=2`)).body.items;
    if (!a || !b) throw new Error('the project has tasks');
    const writes = async () => (await h.test.db.query<{ n: number }>('select count(*)::int as n from audit_logs'))[0]?.n;
    const before = await writes();
    const cases: [object, number, string][] = [
      [{ afterId: crypto.randomUUID() }, 404, 'afterId'],
      [{ afterId: a.id }, 400, 'afterId'],
      [{ beforeId: other.id }, 400, 'beforeId'],
      [{ afterId: b.id, beforeId: a.id }, 400, 'beforeId'],
    ];
    for (const [body, status, path] of cases) {
      const response = await send<ErrorBody>('POST', `/tasks/${a.id}/move`, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.error.details?.map((d) => d.path)).toEqual([path]);
    }
    expect((await send<ErrorBody>('POST', `/tasks/${a.id}/move`, { afterId: b.id, extra: 1 })).status).toBe(400);
    expect((await send<ErrorBody>('POST', `/tasks/${a.id}/move`, { status: 'nope' })).status).toBe(400);
    expect((await send<ErrorBody>('POST', '/tasks/NOPE-1/move', {})).status).toBe(404);
    expect((await send<ErrorBody>('POST', `/tasks/${a.id}/move`, {}, h.tenantA.actors.viewer)).status).toBe(403);
    expect(await writes()).toBe(before);
  });

  it(`never gives two tasks of a project the same position under concurrent moves and inserts (${engine})`, async () => {
    const project = await newProject('RACE');
    const tasks = (await send<{ items: TaskBody[] }>('POST', `/projects/${project}/tasks/bulk`, {
      items: Array.from({ length: 12 }, (_, i) => ({ title: `race ${i}` })),
    })).body.items;
    const [anchor, ...movers] = tasks;
    if (!anchor) throw new Error('the batch has tasks');
    // Every mover wants the slot right after the anchor, at once; inserts append meanwhile.
    const responses = await Promise.all([
      ...movers.map((task) => h.request(member, 'POST', `${org}/tasks/${task.id}/move`, { afterId: anchor.id })),
      ...Array.from({ length: 4 }, (_, i) => h.request(member, 'POST', `${org}/projects/${project}/tasks`, { title: `late ${i}` })),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([...movers.map(() => 200), 201, 201, 201, 201].sort());
    const rows = await h.test.db.query<{ position: string }>('select position from tasks where project_id = $1 and deleted_at is null', [project]);
    expect(new Set(rows.map((r) => r.position)).size).toBe(16);
    const listed = (await send<{ items: TaskBody[] }>('GET', `/projects/${project}/tasks?limit=100`)).body.items;
    expect(listed[0]?.id).toBe(anchor.id);
    expect(listed).toEqual([...listed].sort(byPosition));
  });

  it('frees the position of a deleted task, and a restored task whose place was taken goes to the end', async () => {
    const project = await newProject('DEL');
    const a = await create('a', project);
    const b = await create('b', project);
    const d = await create('d', project);
    for (const task of [b, d]) expect((await h.request(member, 'DELETE', `${org}/tasks/${task.id}`)).status).toBe(204);
    const c = await create('c', project);
    expect(c.position).toBe(b.position);
    expect(a.position < c.position).toBe(true);

    const restore = (id: string) => h.request(h.tenantA.actors.admin, 'POST', `${org}/tasks/${id}/restore`);
    expect((await restore(d.id)).status).toBe(204);
    expect((await restore(b.id)).status).toBe(204);
    // d's place was free, so it kept it; b's was c's by then.
    expect(await board(project)).toEqual(['DEL-1', 'DEL-4', 'DEL-3', 'DEL-2']);
    expect((await send('GET', `/tasks/${d.id}`)).body.position).toBe(d.position);
  });

  it("appends in the database exactly as the library would, and backfills by task number", async () => {
    const keys = ['a0', 'a1', 'az', 'b00', 'bzz', 'c000', 'a0V', 'Zz', 'Yzz', 'Z0', 'a3zzzV'];
    const rows = await h.test.db.query<{ key: string; next: string }>(
      'select k as key, app.position_key_after(k) as next from unnest($1::text[]) k',
      [keys],
    );
    expect(Object.fromEntries(rows.map((r) => [r.key, r.next]))).toEqual(Object.fromEntries(keys.map((k) => [k, generateKeyBetween(k, null)])));
    expect([0, 1, 61, 62, 63, 62 + 3843, 62 + 3844].map(nthPositionKey)).toEqual(['a0', 'a1', 'az', 'b00', 'b01', 'bzz', 'c000']);
    let key: string | null = null;
    for (let n = 0; n < 4000; n++) key = generateKeyBetween(key, null);
    expect(nthPositionKey(3999)).toBe(key);
  });
});
