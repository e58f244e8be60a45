import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, type Tenant, createApiHarness } from '../../../test/support/api.js';

type EpicBody = { id: string; title: string; status: string; ownerId: string | null; startDate: string | null; targetDate: string | null };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

describe('epics API', () => {
  let h: ApiHarness;
  let projectId: string;
  const org = (tenant: Tenant) => `/api/v1/orgs/${tenant.organizationId}`;
  async function send<T = EpicBody>(actor: Actor | null, method: string, path: string, body?: unknown) {
    const response = await h.request(actor, method, path, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }
  const inProject = (tenant: Tenant, id: string) => `${org(tenant)}/projects/${id}/epics`;
  const epicRows = () => h.test.db.query('select * from epics order by id');

  beforeAll(async () => {
    h = await createApiHarness();
    projectId = (await send<{ id: string }>(h.tenantA.actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Website', key: 'WEB' })).body.id;
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('lets a member create, change and list epics, and viewers read them', async () => {
    const { actors } = h.tenantA;
    const created = await send(actors.member, 'POST', inProject(h.tenantA, projectId), {
      title: 'Checkout',
      ownerId: actors.member.userId,
      startDate: '2030-01-01',
      targetDate: '2030-03-31',
    });
    expect(created).toMatchObject({ status: 201, body: { title: 'Checkout', status: 'open', ownerId: actors.member.userId, targetDate: '2030-03-31' } });
    const changed = await send(actors.member, 'PATCH', `${org(h.tenantA)}/epics/${created.body.id}`, { status: 'in_progress' });
    expect(changed).toMatchObject({ status: 200, body: { status: 'in_progress', title: 'Checkout' } });
    expect(await send(actors.viewer, 'GET', `${org(h.tenantA)}/epics/${created.body.id}`)).toMatchObject({ status: 200, body: { id: created.body.id } });

    await send(actors.member, 'POST', inProject(h.tenantA, projectId), { title: 'Search' });
    const all = await send<{ items: EpicBody[]; nextCursor: string | null }>(actors.viewer, 'GET', `${inProject(h.tenantA, projectId)}?limit=1`);
    expect(all.body.items.map((e) => e.title)).toEqual(['Checkout']);
    const next = await send<{ items: EpicBody[] }>(actors.viewer, 'GET', `${inProject(h.tenantA, projectId)}?cursor=${all.body.nextCursor}`);
    expect(next.body.items.map((e) => e.title)).toEqual(['Search']);
    const open = await send<{ items: EpicBody[] }>(actors.viewer, 'GET', `${inProject(h.tenantA, projectId)}?status=open`);
    expect(open.body.items.map((e) => e.title)).toEqual(['Search']);
  });

  it('soft-deletes an epic and takes it off its tasks', async () => {
    const { actors } = h.tenantA;
    const epic = await send(actors.member, 'POST', inProject(h.tenantA, projectId), { title: 'Doomed' });
    const task = await send<{ id: string; epicId: string | null }>(actors.member, 'POST', `${org(h.tenantA)}/projects/${projectId}/tasks`, {
      title: 'Part of it',
      epicId: epic.body.id,
    });
    expect(task.body.epicId).toBe(epic.body.id);
    expect((await send(actors.member, 'DELETE', `${org(h.tenantA)}/epics/${epic.body.id}`)).status).toBe(204);
    expect((await send(actors.viewer, 'GET', `${org(h.tenantA)}/epics/${epic.body.id}`)).status).toBe(404);
    const listed = await send<{ items: EpicBody[] }>(actors.viewer, 'GET', inProject(h.tenantA, projectId));
    expect(listed.body.items.map((e) => e.id)).not.toContain(epic.body.id);
    expect(await send(actors.viewer, 'GET', `${org(h.tenantA)}/tasks/${task.body.id}`)).toMatchObject({ body: { epicId: null } });
    const reuse = await send<ErrorBody>(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${task.body.id}`, { epicId: epic.body.id });
    expect(reuse.status).toBe(404);
    expect(await h.test.db.query('select id from epics where id = $1 and deleted_at is not null', [epic.body.id])).toHaveLength(1);
  });

  it('takes and gives dates as days (2026-12-24), for epics, sprints and projects alike, and documents them so', async () => {
    const { actors } = h.tenantA;
    const epic = await send(actors.member, 'POST', inProject(h.tenantA, projectId), { title: 'Dated', startDate: '2026-12-01', targetDate: '2026-12-24' });
    expect(epic.body).toMatchObject({ startDate: '2026-12-01', targetDate: '2026-12-24' });
    const sprint = await send<{ startDate: string; endDate: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects/${projectId}/sprints`, {
      name: 'Dated',
      startDate: '2026-12-14',
      endDate: '2026-12-24',
    });
    expect(sprint.body).toMatchObject({ startDate: '2026-12-14', endDate: '2026-12-24' });
    expect((await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, projectId), { title: 'Timed', targetDate: '2026-12-24T10:00:00Z' })).status).toBe(400);
    type Schema = { properties: Record<string, { format?: string; anyOf?: { format?: string }[] }> };
    const document = (await (await h.app.request('/openapi.json')).json()) as { components: { schemas: Record<string, Schema> } };
    const formatOf = (schema: string, field: string) => {
      const property = document.components.schemas[schema]?.properties[field];
      return property?.format ?? property?.anyOf?.find((option) => option.format)?.format;
    };
    const dates = [['Epic', 'startDate'], ['Epic', 'targetDate'], ['Sprint', 'startDate'], ['Sprint', 'endDate'], ['Project', 'startDate'], ['Project', 'endDate']];
    expect(dates.map(([schema, field]) => `${schema}.${field}: ${formatOf(schema!, field!)}`)).toEqual(dates.map(([schema, field]) => `${schema}.${field}: date`));
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { actors } = h.tenantA;
    const before = await epicRows();
    const bad = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, projectId), { title: ' ', status: 'someday', ownerId: 'me' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['title', 'status', 'ownerId']));
    const backwards = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, projectId), {
      title: 'Backwards',
      startDate: '2030-05-01',
      targetDate: '2030-04-01',
    });
    expect(backwards.body.error.details?.map((d) => d.path)).toEqual(['targetDate']);
    const extra = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, projectId), { title: 'ok', projectId });
    expect(extra).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    const [epic] = await h.test.db.query<{ id: string }>('select id from epics where deleted_at is null limit 1');
    expect((await send<ErrorBody>(actors.member, 'PATCH', `${org(h.tenantA)}/epics/${epic?.id}`, {})).status).toBe(400);
    const [dated] = await h.test.db.query<{ id: string }>('select id from epics where start_date is not null limit 1');
    const beforeStart = await send<ErrorBody>(actors.member, 'PATCH', `${org(h.tenantA)}/epics/${dated?.id}`, { targetDate: '2029-12-31' });
    expect(beforeStart).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: [{ path: 'targetDate' }] } } });
    expect(await epicRows()).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { actors } = h.tenantA;
    const [epic] = await h.test.db.query<{ id: string }>('select id from epics where deleted_at is null limit 1');
    const byId = `${org(h.tenantA)}/epics/${epic?.id}`;
    const routes: [string, string, unknown?][] = [
      ['GET', inProject(h.tenantA, projectId)],
      ['POST', inProject(h.tenantA, projectId), { title: 'x' }],
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
  });

  it("answers 404 for another tenant's epics and projects, and leaves A's rows alone", async () => {
    const a = h.tenantA;
    const b = h.tenantB;
    const mine = await send(a.actors.member, 'POST', inProject(a, projectId), { title: 'Secret epic' });
    const outsider = b.actors.owner;
    const theirs = (await send<{ id: string }>(outsider, 'POST', `${org(b)}/projects`, { name: 'Theirs', key: 'THEM' })).body.id;
    const attempts = [
      await send<ErrorBody>(outsider, 'GET', `${org(a)}/epics/${mine.body.id}`),
      await send<ErrorBody>(outsider, 'GET', `${org(b)}/epics/${mine.body.id}`),
      await send<ErrorBody>(outsider, 'PATCH', `${org(b)}/epics/${mine.body.id}`, { title: 'pwned' }),
      await send<ErrorBody>(outsider, 'DELETE', `${org(b)}/epics/${mine.body.id}`),
      await send<ErrorBody>(outsider, 'GET', inProject(b, projectId)),
      await send<ErrorBody>(outsider, 'POST', inProject(b, projectId), { title: 'into their project' }),
      await send<ErrorBody>(outsider, 'POST', inProject(b, theirs), { title: 'x', ownerId: a.actors.member.userId }),
    ];
    expect(attempts.map((r) => r.status)).toEqual(attempts.map(() => 404));
    const missing = await send<ErrorBody>(outsider, 'GET', `${org(b)}/epics/${crypto.randomUUID()}`);
    expect(attempts[1]?.body).toEqual(missing.body);
    expect(await send(a.actors.viewer, 'GET', `${org(a)}/epics/${mine.body.id}`)).toMatchObject({ status: 200, body: { title: 'Secret epic' } });
    expect(await h.test.db.query('select id from epics where organization_id = $1', [b.organizationId])).toEqual([]);
  });
});
