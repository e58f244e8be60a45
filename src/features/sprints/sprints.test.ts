import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, type Tenant, createApiHarness } from '../../../test/support/api.js';
import { asApp, errorCodeOf } from '../../../test/support/as-role.js';

type SprintBody = { id: string; name: string; status: string; velocity: number | null; completedAt: string | null; endDate: string | null };
type ErrorBody = { error: { code: string; message: string; details?: { path: string }[] } };

describe('sprints API', () => {
  let h: ApiHarness;
  let projectId: string;
  const org = (tenant: Tenant) => `/api/v1/orgs/${tenant.organizationId}`;
  async function send<T = SprintBody>(actor: Actor | null, method: string, path: string, body?: unknown) {
    const response = await h.request(actor, method, path, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }
  const inProject = (tenant: Tenant, id: string) => `${org(tenant)}/projects/${id}/sprints`;
  const byId = (tenant: Tenant, id: string, action = '') => `${org(tenant)}/sprints/${id}${action}`;
  const toBacklog = { moveUnfinishedTo: 'backlog' };
  const newSprint = async (name: string, id = projectId) => (await send(h.tenantA.actors.member, 'POST', inProject(h.tenantA, id), { name })).body;

  beforeAll(async () => {
    h = await createApiHarness();
    projectId = (await send<{ id: string }>(h.tenantA.actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Website', key: 'WEB' })).body.id;
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('runs a sprint from planning to completed, recording velocity from its done tasks', async () => {
    const { actors } = h.tenantA;
    const created = await send(actors.member, 'POST', inProject(h.tenantA, projectId), {
      name: 'Sprint 1',
      goal: 'Ship checkout',
      startDate: '2030-01-01',
      endDate: '2030-01-14',
    });
    expect(created).toMatchObject({ status: 201, body: { status: 'planning', velocity: null, completedAt: null } });
    const sprint = created.body.id;
    const tasks = `${org(h.tenantA)}/projects/${projectId}/tasks/bulk`;
    const made = await send<{ items: { id: string }[] }>(actors.member, 'POST', tasks, {
      items: [
        { title: 'done, 3', storyPoints: 3, sprintId: sprint, status: 'done' },
        { title: 'done, 5', storyPoints: 5, sprintId: sprint },
        { title: 'open, 8', storyPoints: 8, sprintId: sprint },
        { title: 'done, no points', sprintId: sprint, status: 'done' },
        { title: 'done elsewhere', storyPoints: 13, status: 'done' },
      ],
    });
    expect(made.status).toBe(201);
    await send(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${made.body.items[1]?.id}`, { status: 'done' });

    expect(await send(actors.member, 'POST', byId(h.tenantA, sprint, '/start'))).toMatchObject({ status: 200, body: { status: 'active' } });
    expect(await send(actors.viewer, 'GET', byId(h.tenantA, sprint))).toMatchObject({ status: 200, body: { status: 'active' } });
    const renamed = await send(actors.member, 'PATCH', byId(h.tenantA, sprint), { name: 'Sprint One' });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Sprint One', status: 'active' } });
    const completed = await send(actors.member, 'POST', byId(h.tenantA, sprint, '/complete'), toBacklog);
    expect(completed).toMatchObject({ status: 200, body: { status: 'completed', velocity: 8, movedTaskCount: 1 } });
    expect(completed.body.completedAt).not.toBeNull();

    const listed = await send<{ items: SprintBody[] }>(actors.viewer, 'GET', `${inProject(h.tenantA, projectId)}?status=completed`);
    expect(listed.body.items.map((s) => s.id)).toEqual([sprint]);
  });

  it('refuses invalid transitions and a second active sprint with 409 conflict', async () => {
    const { actors } = h.tenantA;
    const [completed] = await h.test.db.query<{ id: string }>(`select id from sprints where status = 'completed'`);
    const done = completed?.id ?? '';
    const planning = (await newSprint('Sprint 2')).id;
    const next = (await newSprint('Sprint 3')).id;
    const expectConflict = async (path: string, method = 'POST') =>
      expect(await send<ErrorBody>(actors.member, method, path, path.endsWith('/complete') ? toBacklog : undefined)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });

    await expectConflict(byId(h.tenantA, done, '/start'));
    await expectConflict(byId(h.tenantA, done, '/complete'));
    await expectConflict(byId(h.tenantA, planning, '/complete'));
    await expectConflict(byId(h.tenantA, done), 'DELETE');
    expect((await send(actors.member, 'POST', byId(h.tenantA, planning, '/start'))).status).toBe(200);
    await expectConflict(byId(h.tenantA, planning, '/start'));
    await expectConflict(byId(h.tenantA, next, '/start'));
    await expectConflict(byId(h.tenantA, planning), 'DELETE');
    expect(await h.test.db.query(`select id from sprints where status = 'active'`)).toEqual([{ id: planning }]);

    // Another project may run its own sprint at the same time.
    const other = (await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'App', key: 'APP' })).body.id;
    expect((await send(actors.member, 'POST', byId(h.tenantA, (await newSprint('App 1', other)).id, '/start'))).status).toBe(200);
  });

  it('lets only one of two racing starts win', async () => {
    const { actors } = h.tenantA;
    const project = (await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Race', key: 'RACE' })).body.id;
    const sprints = [(await newSprint('R1', project)).id, (await newSprint('R2', project)).id];
    const starts = await Promise.all(sprints.map((id) => send(actors.member, 'POST', byId(h.tenantA, id, '/start'))));
    expect(starts.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('deletes a planning sprint for good and returns its tasks to the backlog', async () => {
    const { actors } = h.tenantA;
    const sprint = (await newSprint('Scrapped')).id;
    const task = await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects/${projectId}/tasks`, { title: 'Planned', sprintId: sprint });
    expect((await send(actors.member, 'DELETE', byId(h.tenantA, sprint))).status).toBe(204);
    expect((await send(actors.viewer, 'GET', byId(h.tenantA, sprint))).status).toBe(404);
    expect(await send(actors.viewer, 'GET', `${org(h.tenantA)}/tasks/${task.body.id}`)).toMatchObject({ status: 200, body: { sprintId: null } });
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { actors } = h.tenantA;
    const before = await h.test.db.query('select * from sprints order by id');
    const bad = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, projectId), { name: '', startDate: 'soon', status: 'active' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'startDate', '']));
    const backwards = await send<ErrorBody>(actors.member, 'POST', inProject(h.tenantA, projectId), {
      name: 'Backwards',
      startDate: '2030-02-01',
      endDate: '2030-01-01',
    });
    expect(backwards.body.error.details?.map((d) => d.path)).toEqual(['endDate']);
    const [dated] = await h.test.db.query<{ id: string }>('select id from sprints where start_date is not null limit 1');
    const early = await send<ErrorBody>(actors.member, 'PATCH', byId(h.tenantA, dated?.id ?? ''), { endDate: '2029-01-01' });
    expect(early).toMatchObject({ status: 400, body: { error: { details: [{ path: 'endDate' }] } } });
    const statusPatch = await send<ErrorBody>(actors.member, 'PATCH', byId(h.tenantA, dated?.id ?? ''), { status: 'planning' });
    expect(statusPatch.status).toBe(400);
    expect(await h.test.db.query('select * from sprints order by id')).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { actors } = h.tenantA;
    const sprint = (await newSprint('Guarded')).id;
    const routes: [string, string, unknown?][] = [
      ['GET', inProject(h.tenantA, projectId)],
      ['POST', inProject(h.tenantA, projectId), { name: 'x' }],
      ['GET', byId(h.tenantA, sprint)],
      ['PATCH', byId(h.tenantA, sprint), { name: 'x' }],
      ['POST', byId(h.tenantA, sprint, '/start')],
      ['POST', byId(h.tenantA, sprint, '/complete'), toBacklog],
      ['DELETE', byId(h.tenantA, sprint)],
    ];
    for (const [method, path, body] of routes) {
      expect(await send<ErrorBody>(null, method, path, body)).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
      if (method !== 'GET') {
        expect(await send<ErrorBody>(actors.viewer, method, path, body)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      }
    }
    expect(await send(actors.viewer, 'GET', byId(h.tenantA, sprint))).toMatchObject({ body: { name: 'Guarded', status: 'planning' } });
  });

  it('moves unfinished tasks to the sprint the request names, refusing a bad target and writing nothing', async () => {
    const { actors } = h.tenantA;
    const project = (await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Lifecycle', key: 'LIFE' })).body.id;
    const other = (await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Elsewhere', key: 'ELSE' })).body.id;
    const [current, next, foreign] = [(await newSprint('L1', project)).id, (await newSprint('L2', project)).id, (await newSprint('E1', other)).id];
    await send(actors.member, 'POST', byId(h.tenantA, current, '/start'));
    const made = await send<{ items: { id: string }[] }>(actors.member, 'POST', `${org(h.tenantA)}/projects/${project}/tasks/bulk`, {
      items: ['todo', 'in_progress', 'done', 'canceled'].map((status) => ({ title: status, status, sprintId: current })),
    });
    expect(made.status).toBe(201);
    const sprintOf = async () =>
      Object.fromEntries((await h.test.db.query<{ title: string; sprint_id: string | null }>('select title, sprint_id from tasks where project_id = $1', [project])).map((t) => [t.title, t.sprint_id]));
    const before = { sprints: await h.test.db.query('select * from sprints order by id'), tasks: await sprintOf() };

    const complete = (body?: unknown) => send<ErrorBody>(actors.member, 'POST', byId(h.tenantA, current, '/complete'), body);
    expect((await complete()).status).toBe(400);
    expect((await complete({})).body.error.details?.map((d) => d.path)).toEqual(['moveUnfinishedTo']);
    expect((await complete({ moveUnfinishedTo: 'later' })).status).toBe(400);
    expect(await complete({ moveUnfinishedTo: current })).toMatchObject({ status: 400, body: { error: { details: [{ path: 'moveUnfinishedTo' }] } } });
    expect(await complete({ moveUnfinishedTo: foreign })).toMatchObject({ status: 400, body: { error: { message: 'the target sprint belongs to another project' } } });
    expect((await complete({ moveUnfinishedTo: crypto.randomUUID() })).status).toBe(404);
    expect({ sprints: await h.test.db.query('select * from sprints order by id'), tasks: await sprintOf() }).toEqual(before);

    const completed = await send(actors.member, 'POST', byId(h.tenantA, current, '/complete'), { moveUnfinishedTo: next });
    expect(completed).toMatchObject({ status: 200, body: { status: 'completed', movedTaskCount: 2 } });
    expect(await sprintOf()).toEqual({ todo: next, in_progress: next, done: current, canceled: current });

    // A completed sprint is no target for the next completion either.
    await send(actors.member, 'POST', byId(h.tenantA, next, '/start'));
    const intoCompleted = await send<ErrorBody>(actors.member, 'POST', byId(h.tenantA, next, '/complete'), { moveUnfinishedTo: current });
    expect(intoCompleted).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('refuses every way of adding a task to a completed sprint with 409, enforced by the database', async () => {
    const { actors } = h.tenantA;
    // The free plan allows five projects; the one the test before created has no active sprint.
    const [{ id: project } = { id: '' }] = await h.test.db.query<{ id: string }>(`select id from projects where key = 'ELSE'`);
    const sprint = (await newSprint('Over', project)).id;
    const task = (await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects/${project}/tasks`, { title: 'Backlog item' })).body.id;
    await send(actors.member, 'POST', byId(h.tenantA, sprint, '/start'));
    expect((await send(actors.member, 'POST', byId(h.tenantA, sprint, '/complete'), toBacklog)).status).toBe(200);
    const message: unknown = expect.stringContaining('sprint "Over" is completed and accepts no new tasks');
    const refused = { status: 409, body: { error: { code: 'conflict', message } } };
    expect(await send<ErrorBody>(actors.member, 'POST', `${org(h.tenantA)}/projects/${project}/tasks`, { title: 'Late', sprintId: sprint })).toMatchObject(refused);
    expect(await send<ErrorBody>(actors.member, 'POST', `${org(h.tenantA)}/projects/${project}/tasks/bulk`, { items: [{ title: 'Late too', sprintId: sprint }] })).toMatchObject(refused);
    expect(await send<ErrorBody>(actors.member, 'PATCH', `${org(h.tenantA)}/tasks/${task}`, { sprintId: sprint })).toMatchObject(refused);
    // Any path of tenant work that writes tasks, not only the API's.
    const direct = asApp(h.test.db, { organizationId: h.tenantA.organizationId }, (session) =>
      session.query('insert into tasks (organization_id, project_id, title, sprint_id) values ($1, $2, $3, $4)', [h.tenantA.organizationId, project, 'Direct', sprint]));
    expect(await errorCodeOf(direct)).toBe('TL409');
    expect(await h.test.db.query('select title from tasks where sprint_id = $1', [sprint])).toEqual([]);
  });

  it("answers 404 for another tenant's sprints and projects, and leaves A's rows alone", async () => {
    const a = h.tenantA;
    const b = h.tenantB;
    const mine = (await newSprint('Secret sprint')).id;
    const outsider = b.actors.owner;
    const attempts = [
      await send<ErrorBody>(outsider, 'GET', byId(a, mine)),
      await send<ErrorBody>(outsider, 'GET', byId(b, mine)),
      await send<ErrorBody>(outsider, 'PATCH', byId(b, mine), { name: 'pwned' }),
      await send<ErrorBody>(outsider, 'POST', byId(b, mine, '/start')),
      await send<ErrorBody>(outsider, 'POST', byId(b, mine, '/complete'), toBacklog),
      await send<ErrorBody>(outsider, 'DELETE', byId(b, mine)),
      await send<ErrorBody>(outsider, 'GET', inProject(b, projectId)),
      await send<ErrorBody>(outsider, 'POST', inProject(b, projectId), { name: 'into their project' }),
    ];
    expect(attempts.map((r) => r.status)).toEqual(attempts.map(() => 404));
    const missing = await send<ErrorBody>(outsider, 'GET', byId(b, crypto.randomUUID()));
    expect(attempts[1]?.body).toEqual(missing.body);
    expect(await send(a.actors.viewer, 'GET', byId(a, mine))).toMatchObject({ status: 200, body: { name: 'Secret sprint', status: 'planning' } });
    expect(await h.test.db.query('select id from sprints where organization_id = $1', [b.organizationId])).toEqual([]);
  });
});
