import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { dispatchWebhookEvents } from '../webhooks/dispatcher.js';
import { countedRequest } from '../../../test/support/round-trips.js';

type Task = { id: string; ref: string; projectId: string };

/**
 * A delete by task id sends its checks, the soft delete, the live event and the webhook event in
 * one database round trip and writes what the ordinary delete writes (which a reference in the
 * path still takes); a refused delete is answered by the ordinary delete, having written nothing.
 */
describe('tasks: a delete in one database round trip', () => {
  let h: ApiHarness;
  let projectId: string;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    const project = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Deletes', key: 'DEL' });
    projectId = ((await project.json()) as { id: string }).id;
    await h.test.db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/d', '{task.deleted}', '\\x00')`, [
      h.tenantA.organizationId,
    ]);
  });
  afterAll(async () => {
    await h.destroy();
  });

  const newTask = async (inProject = projectId) => {
    const created = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects/${inProject}/tasks`, { title: 'To go' });
    return (await created.json()) as Task;
  };

  /** One delete, its round trips counted (the session already cached); `idOrRef` picks the path. */
  const remove = (idOrRef: string, actor: Actor = h.tenantA.actors.member) =>
    countedRequest(h, actor, `${orgPath()}/projects/${projectId}`, 'DELETE', `${orgPath()}/tasks/${idOrRef}`);

  /** Whatever a delete wrote about the task, its own ids and times replaced. */
  async function writtenAbout(task: Task) {
    const [row] = await h.test.db.query<{ deleted: boolean }>(`select deleted_at is not null as deleted from tasks where id = $1`, [task.id]);
    const audit = await h.test.db.query<{ changed_fields: string[]; actor_user_id: string; has_request: boolean }>(
      `select changed_fields, actor_user_id, request_id is not null as has_request from audit_logs where resource_id = $1 and action = 'update'`,
      [task.id],
    );
    const events = await h.test.db.query<{ kind: string; project_id: string }>(`select kind, project_id from live_events where resource_id = $1 order by id`, [task.id]);
    await dispatchWebhookEvents(h.test.db);
    const bodies = await h.test.db.query<{ body: string }>(`select body from webhook_deliveries where body::json -> 'data' ->> 'id' = $1`, [task.id]);
    const data = bodies.map(({ body }) => JSON.parse(body) as { event: string; data: Task });
    return { row, audit, events, deliveries: data.map(({ event, data: { id, projectId: project } }) => ({ event, id: id === task.id, project })) };
  }

  it('deletes in one round trip, writing the row, audit, live event and webhook event the ordinary delete writes', async () => {
    const [fast, ordinary] = [await newTask(), await newTask()];
    const oneTrip = await remove(fast.id);
    const byRef = await remove(ordinary.ref);
    expect([oneTrip.status, byRef.status]).toEqual([204, 204]);
    if (engine === 'postgres') {
      expect(oneTrip.count).toBe(1);
      expect(byRef.count).toBeGreaterThan(1);
    }
    const [one, two] = [await writtenAbout(fast), await writtenAbout(ordinary)];
    expect(one).toEqual(two);
    expect(one.row).toEqual({ deleted: true });
    expect(one.audit).toEqual([{ changed_fields: expect.arrayContaining(['deleted_at']) as unknown, actor_user_id: h.tenantA.actors.member.userId, has_request: true }]);
    expect(one.events).toEqual([{ kind: 'task.created', project_id: projectId }, { kind: 'task.deleted', project_id: projectId }]);
    expect(one.deliveries).toEqual([{ event: 'task.deleted', id: true, project: projectId }]);
    expect((await h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/tasks/${fast.id}`)).status).toBe(404);
  });

  it('answers a refused delete the ordinary way, having written nothing', async () => {
    const task = await newTask();
    const hidden = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: 'Hidden', key: 'HDN', visibility: 'private' });
    const secret = await newTask(((await hidden.json()) as { id: string }).id);
    const gone = await newTask();
    expect((await remove(gone.id)).status).toBe(204);
    const cases: [string, Actor, number, string][] = [
      [task.id, h.tenantA.actors.viewer, 403, 'forbidden'],
      [task.id, h.tenantB.actors.owner, 404, 'organization not found'],
      [secret.id, h.tenantA.actors.member, 404, 'task not found'],
      [gone.id, h.tenantA.actors.member, 404, 'task not found'],
      [crypto.randomUUID(), h.tenantA.actors.member, 404, 'task not found'],
    ];
    for (const [id, actor, status, message] of cases) {
      const refused = await remove(id, actor);
      expect(refused.status, message).toBe(status);
      if (status === 404) expect(refused.body).toMatchObject({ error: { message } });
      if (engine === 'postgres') expect(refused.count).toBeGreaterThan(1);
    }
    const rows = await h.test.db.query<{ live: number }>(`select count(*)::int as live from tasks where id = any($1::uuid[]) and deleted_at is null`, [[task.id, secret.id]]);
    expect(rows).toEqual([{ live: 2 }]);
    const events = await h.test.db.query(`select from live_events where kind = 'task.deleted' and resource_id = any($1::uuid[])`, [[task.id, secret.id, gone.id]]);
    expect(events).toHaveLength(1);
  });
});
