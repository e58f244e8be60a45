import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Day = { date: string; remaining: number; completed: number; scopeAdded: number; scopeRemoved: number; ideal: number };
type Burndown = { sprint: { id: string; name: string; status: string }; unit: string; days: Day[]; totals: Record<string, number> };
type Velocity = { items: { sprintId: string; name: string; startDate: string | null; endDate: string | null; committed: number; completed: number }[] };

/**
 * A history built through the API, each change then moved to a chosen instant: the trigger
 * stamps the clock, and the test needs March. The expected numbers are worked out by hand.
 */
describe('sprint burndown and velocity API', () => {
  let h: ApiHarness;
  let org: string;
  let projectId: string;
  let sprint1: string;
  let sprint2: string;
  let unplanned: string;

  const send = async (method: string, path: string, body?: unknown, actor: Actor = h.tenantA.actors.member) => {
    const response = await h.request(actor, method, `/api/v1/orgs/${org}${path}`, body);
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as { id: string };
  };
  /** Moves the task's latest recorded state to `at`. */
  const stamp = async (taskId: string, at: string) => {
    await h.test.db.query(
      `update task_sprint_states set valid_from = $2
        where id = (select id from task_sprint_states where task_id = $1 order by valid_from desc limit 1)`,
      [taskId, at],
    );
  };
  const task = async (at: string, body: Record<string, unknown>) => {
    const created = await send('POST', `/projects/${projectId}/tasks`, body);
    await stamp(created.id, at);
    return created.id;
  };
  const change = async (at: string, taskId: string, body: Record<string, unknown>) => {
    await send('PATCH', `/tasks/${taskId}`, body);
    await stamp(taskId, at);
  };
  const complete = async (at: string, sprintId: string, movedTaskIds: string[]) => {
    await send('POST', `/sprints/${sprintId}/complete`, { moveUnfinishedTo: 'backlog' });
    for (const id of movedTaskIds) await stamp(id, at);
    await h.test.db.query(`update sprints set completed_at = $2 where id = $1`, [sprintId, at]);
  };

  beforeAll(async () => {
    h = await createApiHarness();
    org = h.tenantA.organizationId;
    projectId = (await send('POST', '/projects', { name: 'Burndown', key: 'BRN' })).id;
    sprint1 = (await send('POST', `/projects/${projectId}/sprints`, { name: 'Sprint 1', startDate: '2026-03-02', endDate: '2026-03-06' })).id;
    sprint2 = (await send('POST', `/projects/${projectId}/sprints`, { name: 'Sprint 2', startDate: '2026-03-09', endDate: '2026-03-13' })).id;
    unplanned = (await send('POST', `/projects/${projectId}/sprints`, { name: 'Someday' })).id;

    // Planned before the start, and on the first day: the commitment is 3 + 5 + 1 = 9.
    const a = await task('2026-03-01T10:00:00Z', { title: 'A', storyPoints: 3, sprintId: sprint1 });
    const b = await task('2026-03-01T10:00:00Z', { title: 'B', storyPoints: 5, sprintId: sprint1 });
    const c = await task('2026-03-01T10:00:00Z', { title: 'C', storyPoints: 8 });
    const d = await task('2026-03-01T10:00:00Z', { title: 'D', storyPoints: 2, sprintId: sprint2 });
    const e = await task('2026-03-02T09:00:00Z', { title: 'E', storyPoints: 1, sprintId: sprint1 });
    await send('POST', `/sprints/${sprint1}/start`);
    await change('2026-03-03T10:00:00Z', a, { status: 'done' });
    await change('2026-03-03T15:00:00Z', c, { sprintId: sprint1 });
    await change('2026-03-04T11:00:00Z', b, { storyPoints: 8 });
    await change('2026-03-04T12:00:00Z', d, { sprintId: sprint1 });
    await change('2026-03-05T09:00:00Z', e, { sprintId: null });
    await change('2026-03-05T10:00:00Z', c, { status: 'done' });
    await change('2026-03-05T16:00:00Z', d, { status: 'canceled' });
    await change('2026-03-06T10:00:00Z', b, { status: 'done' });
    const g = await task('2026-03-06T11:00:00Z', { title: 'G', storyPoints: 5, sprintId: sprint1 });
    // Completed the day after its end date: G goes back to the backlog, after the chart's last day.
    await complete('2026-03-07T09:00:00Z', sprint1, [g]);

    await change('2026-03-08T10:00:00Z', g, { sprintId: sprint2 });
    await send('POST', `/sprints/${sprint2}/start`);
    await change('2026-03-10T10:00:00Z', g, { status: 'done' });
    await complete('2026-03-13T17:00:00Z', sprint2, []);
  });
  afterAll(async () => {
    await h.destroy();
  });

  const get = async <T>(path: string, actor: Actor = h.tenantA.actors.viewer) => {
    const response = await h.request(actor, 'GET', `/api/v1/orgs/${org}${path}`);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  it('gives a viewer the daily series of a sprint whose tasks moved in and out, were re-estimated and canceled', async () => {
    const burndown = await get<Burndown>(`/sprints/${sprint1}/burndown`);
    expect(burndown.sprint).toEqual({ id: sprint1, name: 'Sprint 1', startDate: '2026-03-02', endDate: '2026-03-06', status: 'completed' });
    expect(burndown.unit).toBe('points');
    expect(burndown.days).toEqual([
      { date: '2026-03-02', remaining: 9, completed: 0, scopeAdded: 0, scopeRemoved: 0, ideal: 9 },
      { date: '2026-03-03', remaining: 14, completed: 3, scopeAdded: 8, scopeRemoved: 0, ideal: 6.75 },
      { date: '2026-03-04', remaining: 19, completed: 3, scopeAdded: 5, scopeRemoved: 0, ideal: 4.5 },
      { date: '2026-03-05', remaining: 8, completed: 11, scopeAdded: 0, scopeRemoved: 3, ideal: 2.25 },
      { date: '2026-03-06', remaining: 5, completed: 19, scopeAdded: 5, scopeRemoved: 0, ideal: 0 },
    ]);
    expect(burndown.totals).toEqual({ committed: 9, scope: 24, completed: 19, remaining: 5, scopeAdded: 18, scopeRemoved: 3 });
  });

  it('counts a task planned before the start date in the next sprint, and nothing for a sprint without dates', async () => {
    const second = await get<Burndown>(`/sprints/${sprint2}/burndown`);
    expect(second.days.map((day) => [day.date, day.remaining, day.completed])).toEqual([
      ['2026-03-09', 5, 0],
      ['2026-03-10', 0, 5],
      ['2026-03-11', 0, 5],
      ['2026-03-12', 0, 5],
      ['2026-03-13', 0, 5],
    ]);
    const someday = await get<Burndown>(`/sprints/${unplanned}/burndown`);
    expect(someday.days).toEqual([]);
    expect(someday.totals).toEqual({ committed: 0, scope: 0, completed: 0, remaining: 0, scopeAdded: 0, scopeRemoved: 0 });
  });

  it('runs an active sprint to today, with the ideal line over its planned days', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const running = (await send('POST', `/projects/${projectId}/sprints`, { name: 'Now', startDate: day(-2), endDate: day(5) })).id;
    await task(`${day(-2)}T00:00:01Z`, { title: 'H', storyPoints: 4, sprintId: running });
    await send('POST', `/sprints/${running}/start`);
    const burndown = await get<Burndown>(`/sprints/${running}/burndown`);
    expect(burndown.days.map((d) => [d.date, d.remaining, d.ideal])).toEqual([
      [day(-2), 4, 4],
      [day(-1), 4, 3.43],
      [day(0), 4, 2.86],
    ]);
    expect((await get<Velocity>(`/projects/${projectId}/velocity`)).items.map((s) => s.name)).toEqual(['Sprint 2', 'Sprint 1']);
  });

  it('gives the committed and completed points of the last completed sprints, newest first', async () => {
    expect(await get<Velocity>(`/projects/${projectId}/velocity`)).toEqual({
      items: [
        { sprintId: sprint2, name: 'Sprint 2', startDate: '2026-03-09', endDate: '2026-03-13', committed: 5, completed: 5 },
        { sprintId: sprint1, name: 'Sprint 1', startDate: '2026-03-02', endDate: '2026-03-06', committed: 9, completed: 19 },
      ],
    });
    expect((await get<Velocity>(`/projects/${projectId}/velocity?limit=1`)).items.map((s) => s.sprintId)).toEqual([sprint2]);
  });

  it('answers every role, 401 without a session, 404 to another tenant, 400 for a bad id or limit', async () => {
    const paths = [`/sprints/${sprint1}/burndown`, `/projects/${projectId}/velocity`];
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
      for (const path of paths) await get(path, h.tenantA.actors[role]);
    }
    const outsider = h.tenantB.actors.owner;
    const inB = (path: string) => `/api/v1/orgs/${h.tenantB.organizationId}${path}`;
    for (const path of paths) {
      expect((await h.request(null, 'GET', `/api/v1/orgs/${org}${path}`)).status, path).toBe(401);
      expect((await h.request(outsider, 'GET', `/api/v1/orgs/${org}${path}`)).status, path).toBe(404);
      const response = await h.request(outsider, 'GET', inB(path));
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('Sprint 1');
    }
    for (const path of [`/sprints/${crypto.randomUUID()}/burndown`, `/projects/${crypto.randomUUID()}/velocity`]) {
      expect((await h.request(h.tenantA.actors.viewer, 'GET', `/api/v1/orgs/${org}${path}`)).status, path).toBe(404);
    }
    for (const path of ['/sprints/nope/burndown', `/projects/${projectId}/velocity?limit=21`, `/projects/${projectId}/velocity?limit=0`]) {
      expect((await h.request(h.tenantA.actors.viewer, 'GET', `/api/v1/orgs/${org}${path}`)).status, path).toBe(400);
    }
  });
});
