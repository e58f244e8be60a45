import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type TaskBody = { id: string; ref: string; status: string; priority: string; assigneeId: string | null; sprintId: string | null; assignee: { id: string } | null };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

describe('bulk edit: PATCH /orgs/{orgId}/tasks', () => {
  let h: ApiHarness;
  let member: Actor;
  let org: string;
  let ids: string[];
  let otherProjectTask: string;
  let sprint: string;
  async function send<T = { items: TaskBody[] }>(method: string, path: string, body?: unknown, actor = member) {
    const response = await h.request(actor, method, `${org}${path}`, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (await response.json()) as T };
  }
  const bulk = (body: unknown, actor = member) => send<{ items: TaskBody[] } & ErrorBody>('PATCH', '/tasks', body, actor);
  /** Every write to a tenant table leaves an audit row. */
  const auditRows = async () => (await h.test.db.query<{ n: number }>('select count(*)::int as n from audit_logs'))[0]?.n ?? 0;

  beforeAll(async () => {
    h = await createApiHarness();
    member = h.tenantA.actors.member;
    org = `/api/v1/orgs/${h.tenantA.organizationId}`;
    const project = (await send<{ id: string }>('POST', '/projects', { name: 'Bulk', key: 'BLK' })).body.id;
    const other = (await send<{ id: string }>('POST', '/projects', { name: 'Other', key: 'OTH' })).body.id;
    sprint = (await send<{ id: string }>('POST', `/projects/${project}/sprints`, { name: 'S1' })).body.id;
    ids = (await send('POST', `/projects/${project}/tasks/bulk`, { items: [{ title: 'one' }, { title: 'two' }, { title: 'three' }] })).body.items.map((t) => t.id);
    otherProjectTask = (await send<TaskBody>('POST', `/projects/${other}/tasks`, { title: 'elsewhere' })).body.id;
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('changes every task in one go, answers them in the order given, and audits each row', async () => {
    const before = await auditRows();
    const [a, b] = ids;
    const response = await bulk({ ids: [b, a, otherProjectTask], change: { status: 'in_progress' } });
    expect(response.status).toBe(200);
    expect(response.body.items.map((t) => [t.id, t.status])).toEqual([[b, 'in_progress'], [a, 'in_progress'], [otherProjectTask, 'in_progress']]);
    expect(await auditRows()).toBe(before + 3);
    const audited = await h.test.db.query<{ resource_id: string; changed_fields: string[] }>(
      `select resource_id::text, changed_fields from audit_logs where resource_type = 'tasks' and action = 'update' and resource_id = any($1::uuid[])`,
      [[a, b, otherProjectTask]],
    );
    expect(audited.map((row) => row.resource_id).sort()).toEqual([a, b, otherProjectTask].sort());
    expect(audited.every((row) => row.changed_fields.includes('status'))).toBe(true);

    const assigned = await bulk({ ids: [a, otherProjectTask], change: { assigneeId: h.tenantA.actors.admin.userId, priority: 'urgent' } });
    expect(assigned.body.items.map((t) => [t.assignee?.id, t.priority])).toEqual([[h.tenantA.actors.admin.userId, 'urgent'], [h.tenantA.actors.admin.userId, 'urgent']]);
    const planned = await bulk({ ids, change: { sprintId: sprint } });
    expect(planned.body.items.map((t) => t.sprintId)).toEqual([sprint, sprint, sprint]);
    const backlog = await bulk({ ids, change: { sprintId: null } });
    expect(backlog.body.items.map((t) => t.sprintId)).toEqual([null, null, null]);
  });

  it('writes nothing when any id or reference is missing, foreign, or out of the task\'s project', async () => {
    const before = await auditRows();
    const foreignProject = (await h.request(h.tenantB.actors.member, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects`, { name: 'B', key: 'BBB' }).then((r) => r.json())) as { id: string };
    const foreign = (await h.request(h.tenantB.actors.member, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${foreignProject.id}/tasks`, { title: 'theirs' }).then((r) => r.json())) as { id: string };
    const afterB = await auditRows();
    const cases: [unknown, number, string | undefined][] = [
      [{ ids: [...ids, crypto.randomUUID()], change: { status: 'done' } }, 404, 'ids.3'],
      [{ ids: [ids[0], foreign.id], change: { status: 'done' } }, 404, 'ids.1'],
      // The sprint belongs to BLK, and the last task is in OTH.
      [{ ids: [ids[0], otherProjectTask], change: { sprintId: sprint } }, 404, 'change.sprintId'],
      [{ ids, change: { assigneeId: h.tenantB.actors.member.userId } }, 404, 'change.assigneeId'],
      [{ ids, change: {} }, 400, 'change'],
      [{ ids, change: { title: 'not bulk-editable' } }, 400, undefined],
      [{ ids: [], change: { status: 'done' } }, 400, 'ids'],
      [{ ids: Array.from({ length: 101 }, () => crypto.randomUUID()), change: { status: 'done' } }, 400, 'ids'],
      [{ ids: ['not-a-uuid'], change: { status: 'done' } }, 400, 'ids.0'],
    ];
    for (const [body, status, path] of cases) {
      const response = await bulk(body);
      expect(response.status, JSON.stringify(body).slice(0, 120)).toBe(status);
      if (path) expect(response.body.error.details?.map((d) => d.path)).toContain(path);
    }
    expect((await bulk({ ids, change: { status: 'done' } }, h.tenantA.actors.viewer)).status).toBe(403);
    expect(await auditRows()).toBe(afterB);
    expect(afterB).toBeGreaterThan(before);
    const statuses = await h.test.db.query<{ status: string }>('select status from tasks where id = any($1::uuid[])', [ids]);
    expect(statuses.map((r) => r.status)).not.toContain('done');
  });
});
