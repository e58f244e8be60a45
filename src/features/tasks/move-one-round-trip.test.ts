import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { countedRequest } from '../../../test/support/round-trips.js';
import { dispatchWebhookEvents } from '../webhooks/dispatcher.js';

type Task = Record<string, unknown> & { id: string; ref: string; position: string };

/**
 * A move (the board's drag) by task id sends its checks, the order lock, the new position (from
 * app.key_between), a status change and whom it tells, the read-back, the live event and the
 * webhook event in one database round trip, and writes what the ordinary move writes (which a
 * reference in the path still takes). Two boards alike, one moved each way, must stay alike.
 */
describe('tasks: a move in one database round trip', () => {
  let h: ApiHarness;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    await h.test.db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/m', '{task.updated}', '\\x00')`, [
      h.tenantA.organizationId,
    ]);
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** A project of `size` tasks, each watched by the admin: a status change tells someone. */
  async function board(key: string, size: number) {
    const { owner, admin } = h.tenantA.actors;
    const project = await h.request(owner, 'POST', `${orgPath()}/projects`, { name: `Board ${key}`, key });
    const projectId = ((await project.json()) as { id: string }).id;
    const created = await h.request(owner, 'POST', `${orgPath()}/projects/${projectId}/tasks/bulk`, {
      items: Array.from({ length: size }, (_, i) => ({ title: `card ${i}`, status: 'todo' })),
    });
    const tasks = ((await created.json()) as { items: Task[] }).items;
    for (const task of tasks) await h.request(admin, 'PUT', `${orgPath()}/tasks/${task.id}/watch`, { watching: true });
    return { projectId, tasks };
  }

  /** One move as the member, its round trips counted; by id (one trip) or by reference (the ordinary move). */
  const move = async (task: Task, byId: boolean, body: Record<string, unknown>) => {
    const path = `${orgPath()}/tasks/${byId ? task.id : task.ref}/move`;
    const sent = await countedRequest(h, h.tenantA.actors.member, `${orgPath()}/tasks/${task.id}`, 'POST', path, body);
    return { ...sent, body: sent.body as Task };
  };

  /** Everything a move wrote about a task, with what differs between two tasks (ids, times) left out. */
  async function writtenAbout(task: Task) {
    const timeless = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/"\d{4}-\d\d-\d\d[T ][^"]*"/g, '"a time"'));
    const audit = await h.test.db.query<{ changed_fields: string[]; old_values: Record<string, unknown>; new_values: Record<string, unknown> }>(
      `select actor_user_id, changed_fields, old_values, new_values, request_id is not null as has_request from audit_logs
        where resource_type = 'tasks' and resource_id = $1 and action = 'update' order by created_at, id`,
      [task.id],
    );
    const changes = audit.map(({ changed_fields, old_values, new_values, ...rest }) => ({
      ...rest,
      changed: Object.fromEntries(changed_fields.filter((field) => field !== 'updated_at').map((field) => [field, [old_values[field], new_values[field]]])),
    }));
    const events = await h.test.db.query(`select kind from live_events where resource_id = $1 or (kind = 'notifications.created' and resource_id = $1) order by id`, [task.id]);
    await dispatchWebhookEvents(h.test.db);
    const deliveries = await h.test.db.query<{ body: string }>(
      `select body from webhook_deliveries where organization_id = $1 and body::json -> 'data' ->> 'id' = $2 order by id`,
      [h.tenantA.organizationId, task.id],
    );
    const notifications = await h.test.db.query(`select user_id, type, actor_id from notifications where task_id = $1 order by user_id, type`, [task.id]);
    const data = deliveries.map((delivery) => alike((JSON.parse(delivery.body) as { data: Task }).data));
    return timeless({ changes, events, data, notifications });
  }

  const OWN = ['id', 'number', 'ref', 'projectId', 'projectKey', 'createdAt', 'updatedAt', 'completedAt'];
  const alike = (task: Record<string, unknown>) => Object.fromEntries(Object.entries(task).filter(([key]) => !OWN.includes(key)));

  it('moves every way the board drags, in one round trip, to the key and with the writes of the ordinary move', async () => {
    const [fast, ordinary] = [await board('MFA', 6), await board('MOR', 6)];
    // Moves by index into each board's cards: after, before, between, to the end, a stale view, a column change.
    const moves: [number, { after?: number; before?: number; status?: string }][] = [
      [0, { after: 2 }],
      [5, { before: 1 }],
      [3, { after: 5, before: 1 }],
      [1, {}],
      [4, { after: 3, before: 0 }],
      [2, { after: 3, status: 'in_progress' }],
      [0, { before: 4, status: 'done' }],
      [5, { status: 'todo' }],
    ];
    const bodyOf = (tasks: Task[], { after, before, status }: (typeof moves)[number][1]) => ({
      ...(after === undefined ? {} : { afterId: tasks[after]?.id }),
      ...(before === undefined ? {} : { beforeId: tasks[before]?.id }),
      ...(status === undefined ? {} : { status }),
    });
    for (const [index, where] of moves) {
      const [one, two] = [fast.tasks[index], ordinary.tasks[index]] as [Task, Task];
      const oneTrip = await move(one, true, bodyOf(fast.tasks, where));
      const byRef = await move(two, false, bodyOf(ordinary.tasks, where));
      expect(oneTrip.status, JSON.stringify(oneTrip.body)).toBe(200);
      expect(byRef.status, JSON.stringify(byRef.body)).toBe(200);
      if (engine === 'postgres') {
        expect(oneTrip.count, JSON.stringify(where)).toBe(1);
        expect(byRef.count).toBeGreaterThan(1);
      }
      expect(alike(oneTrip.body), JSON.stringify(where)).toEqual(alike(byRef.body));
      const read = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${one.id}`);
      expect(oneTrip.body).toEqual(await read.json());
    }
    const order = async ({ projectId, tasks }: typeof fast) => {
      const listed = await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/projects/${projectId}/tasks?limit=100`);
      return ((await listed.json()) as { items: Task[] }).items.map((task) => [tasks.findIndex((t) => t.id === task.id), task.position]);
    };
    expect(await order(fast)).toEqual(await order(ordinary));
    let told = 0;
    for (const [index, one] of fast.tasks.entries()) {
      const written = await writtenAbout(one);
      expect(written, `card ${index}`).toEqual(await writtenAbout(ordinary.tasks[index] as Task));
      told += (written as { notifications: unknown[] }).notifications.length;
    }
    // The status changes told the watching admin (else the comparison of notifications proves little).
    expect(told).toBeGreaterThanOrEqual(3);
  });

  it('answers a refused move the ordinary way, naming the field, having written nothing', async () => {
    const { tasks } = await board('MRF', 3);
    const [a, b, c] = tasks as [Task, Task, Task];
    const other = (await board('MRO', 1)).tasks[0] as Task;
    const writes = async () => (await h.test.db.query<{ n: number }>(`select count(*)::int as n from audit_logs where action = 'update'`))[0]?.n;
    const before = await writes();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ afterId: crypto.randomUUID() }, 404, 'task not found (afterId)'],
      [{ beforeId: a.id }, 400, 'a task cannot be placed next to itself (beforeId)'],
      [{ afterId: other.id }, 400, 'the neighbour must be in the same project (afterId)'],
      [{ afterId: c.id, beforeId: b.id }, 400, 'beforeId must come after afterId in the project (beforeId)'],
    ];
    for (const [body, status, message] of cases) {
      const refused = await move(a, true, body);
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(refused.body).toMatchObject({ error: { message } });
      if (engine === 'postgres') expect(refused.count).toBeGreaterThan(1);
    }
    const viewer = await countedRequest(h, h.tenantA.actors.viewer, `${orgPath()}/tasks/${a.id}`, 'POST', `${orgPath()}/tasks/${a.id}/move`, {});
    expect(viewer.status).toBe(403);
    const outsider = await countedRequest(h, h.tenantB.actors.owner, `/api/v1/orgs/${h.tenantB.organizationId}`, 'POST', `${orgPath()}/tasks/${a.id}/move`, {});
    expect(outsider.status).toBe(404);
    expect(await writes()).toBe(before);
  });
});
