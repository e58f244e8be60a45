import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Prediction = {
  id: string;
  method: string;
  predictionType: string;
  confidence: number;
  result: { percentiles: Record<string, string>; weeks: Record<string, number>; simulations: number; summary: string };
  inputSummary: { asOf: string; weeklyThroughput: number[]; openTasks: number; completedTasks: number; seed: number };
};

const DAY_MS = 24 * 60 * 60 * 1000;

describe('predictions API', () => {
  let h: ApiHarness;
  const projects: Record<string, string> = {};
  const createProject = async (key: string) => {
    const { organizationId, actors } = h.tenantA;
    const response = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: key, key });
    projects[key] = ((await response.json()) as { id: string }).id;
  };
  /** Tasks straight into the table: `done` ones finished `daysAgo`, the rest open. */
  const addTasks = async (key: string, count: number, daysAgo: number | null) => {
    const completedAt = daysAgo === null ? null : new Date(Date.now() - daysAgo * DAY_MS);
    for (let i = 0; i < count; i += 1) {
      await h.test.db.query(
        `insert into tasks (organization_id, project_id, title, status, completed_at) values ($1, $2, $3, $4, $5)`,
        [h.tenantA.organizationId, projects[key], `${key} task`, completedAt ? 'done' : 'todo', completedAt],
      );
    }
  };
  beforeAll(async () => {
    h = await createApiHarness();
    await createProject('STEADY');
    for (let week = 0; week < 12; week += 1) await addTasks('STEADY', 3, week * 7 + 3.5);
    await addTasks('STEADY', 30, null);

    await createProject('BUMPY');
    for (const [week, count] of [[0, 5], [1, 1], [2, 0], [3, 4], [4, 2], [5, 6], [7, 3]] as const) await addTasks('BUMPY', count, week * 7 + 2);
    await addTasks('BUMPY', 25, null);

    await createProject('FRESH');
    await addTasks('FRESH', 4, null);
    await createProject('DONE');
    await addTasks('DONE', 2, 3);
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, projectId: string, rest = '') => `/api/v1/orgs/${orgId}/projects/${projectId}/predictions${rest}`;
  const forecast = (key: string, body: unknown = {}) =>
    h.request(h.tenantA.actors.member, 'POST', path(h.tenantA.organizationId, projects[key]!, '/delivery'), body);

  it('forecasts exactly when every past week delivered the same', async () => {
    const response = await forecast('STEADY');
    expect(response.status, await response.clone().text()).toBe(201);
    const prediction = (await response.json()) as Prediction;
    expect(prediction).toMatchObject({ predictionType: 'delivery_date', method: 'monte_carlo', confidence: 1 });
    expect(prediction.inputSummary).toMatchObject({ weeklyThroughput: Array(12).fill(3), openTasks: 30, completedTasks: 36 });
    expect(prediction.result.weeks).toEqual({ '50': 10, '85': 10, '95': 10 });
    const due = new Date(Date.parse(prediction.inputSummary.asOf) + 70 * DAY_MS).toISOString().slice(0, 10);
    expect(prediction.result.percentiles).toEqual({ '50': due, '85': due, '95': due });
    expect(prediction.result.simulations).toBe(10_000);
  });

  it('gives the same answer twice for a varied history, with a spread and a confidence below one', async () => {
    const first = (await (await forecast('BUMPY')).json()) as Prediction;
    const second = (await (await forecast('BUMPY')).json()) as Prediction;
    expect(first.inputSummary.weeklyThroughput).toEqual([5, 1, 0, 4, 2, 6, 0, 3, 0, 0, 0, 0]);
    // Same history, same default seed (derived from the project id): the very same simulation.
    expect(second.inputSummary.seed).toBe(first.inputSummary.seed);
    expect(second.result).toEqual(first.result);
    expect(second.confidence).toBe(first.confidence);
    const { '50': p50, '85': p85, '95': p95 } = first.result.weeks;
    expect(p50! <= p85! && p85! <= p95!).toBe(true);
    expect(p95).toBeGreaterThan(p50!);
    expect(first.confidence).toBeGreaterThan(0);
    expect(first.confidence).toBeLessThan(1);
    const reseeded = (await (await forecast('BUMPY', { seed: 12345, historyWeeks: 8 })).json()) as Prediction;
    expect(reseeded.inputSummary).toMatchObject({ seed: 12345, weeklyThroughput: [5, 1, 0, 4, 2, 6, 0, 3] });

    const listed = (await (await h.request(h.tenantA.actors.viewer, 'GET', path(h.tenantA.organizationId, projects.BUMPY!))).json()) as { items: Prediction[] };
    expect(listed.items.map((p) => p.id)).toEqual([first.id, second.id, reseeded.id]);
    const filtered = (await (await h.request(h.tenantA.actors.viewer, 'GET', `${path(h.tenantA.organizationId, projects.BUMPY!)}?predictionType=risk`)).json()) as { items: Prediction[] };
    expect(filtered.items).toEqual([]);
  });

  it('answers 409 with a clear message when there is no history or nothing left to do', async () => {
    const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;
    const fresh = await forecast('FRESH');
    expect(fresh.status).toBe(409);
    const noHistory = await errorOf(fresh);
    expect(noHistory.code).toBe('conflict');
    expect(noHistory.message).toContain('no task of this project was completed in the last 12 weeks');
    const done = await forecast('DONE');
    expect(done.status).toBe(409);
    expect((await errorOf(done)).message).toContain('no open tasks');
    expect(await h.test.db.query('select id from predictions where project_id = any($1)', [[projects.FRESH, projects.DONE]])).toEqual([]);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const before = await h.test.db.query('select id from predictions order by id');
    const response = await forecast('STEADY', { historyWeeks: 1, seed: -4, simulations: 5 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['historyWeeks', 'seed']));
    expect((await h.request(h.tenantA.actors.viewer, 'GET', `${path(h.tenantA.organizationId, projects.STEADY!)}?predictionType=guess`)).status).toBe(400);
    expect(await h.test.db.query('select id from predictions order by id')).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer forecasting', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await h.request(null, 'GET', path(organizationId, projects.STEADY!))).status).toBe(401);
    expect((await h.request(null, 'POST', path(organizationId, projects.STEADY!, '/delivery'), {})).status).toBe(401);
    const viewer = await h.request(actors.viewer, 'POST', path(organizationId, projects.STEADY!, '/delivery'), {});
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it("answers 404 for another tenant's project, exactly like a missing one, and writes nothing", async () => {
    const outsider = h.tenantB.actors.owner;
    const other = h.tenantB.organizationId;
    const before = await h.test.db.query('select * from predictions order by id');
    const attempts = [
      await h.request(outsider, 'POST', path(h.tenantA.organizationId, projects.STEADY!, '/delivery'), {}),
      await h.request(outsider, 'POST', path(other, projects.STEADY!, '/delivery'), {}),
      await h.request(outsider, 'GET', path(other, projects.BUMPY!)),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404]);
    const missing = await h.request(outsider, 'POST', path(other, crypto.randomUUID(), '/delivery'), {});
    expect(await attempts[1]!.json()).toEqual(await missing.json());
    expect(await h.test.db.query('select * from predictions order by id')).toEqual(before);
  });
});
