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
    // Seven projects: more than the free plan's five.
    await h.test.db.query(
      `update subscriptions set plan_id = (select id from subscription_plans where code = 'pro') where organization_id = $1`,
      [h.tenantA.organizationId],
    );
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
    await createProject('ONEDAY');
    await addTasks('ONEDAY', 6, 1.2);
    await addTasks('ONEDAY', 10, null);
    await createProject('FEW');
    for (const daysAgo of [2, 10, 24]) await addTasks('FEW', 1, daysAgo);
    await addTasks('FEW', 10, null);
    await createProject('YOUNG');
    for (const daysAgo of [3, 10, 17, 24]) await addTasks('YOUNG', 2, daysAgo);
    await addTasks('YOUNG', 10, null);
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
    // The oldest completion is 51 days back: the history is 8 weeks (7 and a part), not the 12 asked for.
    expect(first.inputSummary.weeklyThroughput).toEqual([5, 1, 0, 4, 2, 6, 0, 3]);
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

  it('says the history is too short instead of predicting from a day of data, and stores nothing', async () => {
    type Insufficient = { insufficientHistory: true; reason: string; weeksOfHistory: number; completedTasks: number; minimumWeeks: number; minimumCompletedTasks: number };
    const fresh = await forecast('FRESH');
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toEqual({
      insufficientHistory: true,
      reason: "the project's history is 0 days long; a forecast needs at least 2 weeks of it",
      weeksOfHistory: 0,
      completedTasks: 0,
      minimumWeeks: 2,
      minimumCompletedTasks: 5,
    });
    const oneDay = (await (await forecast('ONEDAY')).json()) as Insufficient;
    expect(oneDay).toMatchObject({ insufficientHistory: true, completedTasks: 6, reason: "the project's history is 1 day long; a forecast needs at least 2 weeks of it" });
    const few = (await (await forecast('FEW')).json()) as Insufficient;
    expect(few).toMatchObject({ insufficientHistory: true, completedTasks: 3, reason: '3 tasks were completed in the last 4 weeks; a forecast needs at least 5' });
    expect(await h.test.db.query('select id from predictions where project_id = any($1)', [[projects.FRESH, projects.ONEDAY, projects.FEW]])).toEqual([]);
  });

  it('samples only the weeks since the project began', async () => {
    const young = await forecast('YOUNG');
    expect(young.status).toBe(201);
    const prediction = (await young.json()) as Prediction & { inputSummary: { historyWeeks: number } };
    expect(prediction.inputSummary).toMatchObject({ historyWeeks: 4, weeklyThroughput: [2, 2, 2, 2], completedTasks: 8 });
    expect(prediction.result.weeks).toEqual({ '50': 5, '85': 5, '95': 5 });
  });

  it('answers 409 with a clear message when nothing is left to do', async () => {
    const done = await forecast('DONE');
    expect(done.status).toBe(409);
    expect(await done.json()).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('no open tasks') as unknown } });
    expect(await h.test.db.query('select id from predictions where project_id = $1', [projects.DONE])).toEqual([]);
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
