import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Generation = { id: string; totalTokens: number; cost: string; userId: string; projectId: string | null };
type Page = { items: Generation[]; nextCursor: string | null };

describe('AI generations API', () => {
  let h: ApiHarness;
  let projectId: string;
  let aiProviderId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    const project = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'AI', key: 'AI' });
    projectId = ((await project.json()) as { id: string }).id;
    const [provider] = await h.test.db.query<{ id: string }>(
      `insert into ai_providers (organization_id, provider, name) values ($1, 'openai', 'OpenAI') returning id`,
      [organizationId],
    );
    aiProviderId = provider!.id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/ai-generations${rest}`;
  const generation = (overrides: Record<string, unknown> = {}) => ({
    generationType: 'story', provider: 'openai', model: 'gpt-4o', prompt: 'Write a story', response: 'As a user…',
    promptTokens: 120, completionTokens: 80, cost: 0.0123, latencyMs: 900, ...overrides,
  });

  it('records a generation with derived totals and lists it with filters', async () => {
    const { organizationId, actors } = h.tenantA;
    const created = await h.request(actors.member, 'POST', path(organizationId), generation({ projectId, aiProviderId }));
    expect(created.status, await created.clone().text()).toBe(201);
    const recorded = (await created.json()) as Generation;
    expect(recorded).toMatchObject({ totalTokens: 200, cost: '0.012300', userId: actors.member.userId, projectId, aiProviderId });
    await h.request(actors.member, 'POST', path(organizationId), generation({ provider: 'anthropic', model: 'claude' }));

    const byProject = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?projectId=${projectId}`)).json()) as Page;
    expect(byProject.items.map((g) => g.id)).toEqual([recorded.id]);
    const byProvider = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?provider=anthropic&generationType=story`)).json()) as Page;
    expect(byProvider.items).toHaveLength(1);
    const future = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?from=2999-01-01`)).json()) as Page;
    expect(future.items).toEqual([]);
    const firstPage = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?limit=1`)).json()) as Page;
    expect(firstPage.nextCursor).not.toBeNull();
  });

  it('sums tokens and exact cost by month, provider and model', async () => {
    const { organizationId, actors } = h.tenantB;
    const rows = [
      ['2025-01-10T12:00:00Z', 'openai', 'gpt-4o', 0.1, 100, 10],
      ['2025-01-20T12:00:00Z', 'openai', 'gpt-4o', 0.2, 200, 20],
      ['2025-01-31T23:30:00Z', 'anthropic', 'claude', 1.5, 1000, 500],
      ['2025-02-01T00:30:00Z', 'openai', 'gpt-4o', 0.25, 50, 5],
      ['2025-03-05T00:00:00Z', 'openai', 'gpt-4o', 9, 9, 9],
    ] as const;
    for (const [at, provider, model, cost, promptTokens, completionTokens] of rows) {
      const created = (await (await h.request(actors.member, 'POST', path(organizationId), generation({ provider, model, cost, promptTokens, completionTokens }))).json()) as Generation;
      await h.test.db.query('update ai_generations set created_at = $1 where id = $2', [at, created.id]);
    }
    const response = await h.request(actors.viewer, 'GET', `${path(organizationId, '/usage')}?from=2025-01-01&to=2025-03-01`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-03-01T00:00:00.000Z',
      items: [
        { month: '2025-01', provider: 'anthropic', model: 'claude', generations: 1, promptTokens: 1000, completionTokens: 500, totalTokens: 1500, cost: '1.500000' },
        { month: '2025-01', provider: 'openai', model: 'gpt-4o', generations: 2, promptTokens: 300, completionTokens: 30, totalTokens: 330, cost: '0.300000' },
        { month: '2025-02', provider: 'openai', model: 'gpt-4o', generations: 1, promptTokens: 50, completionTokens: 5, totalTokens: 55, cost: '0.250000' },
      ],
      totals: { generations: 4, promptTokens: 1350, completionTokens: 535, totalTokens: 1885, cost: '2.050000' },
    });
    // Tenant A's generations never count towards B's usage.
    const allTime = (await (await h.request(actors.viewer, 'GET', path(organizationId, '/usage'))).json()) as { totals: { generations: number } };
    expect(allTime.totals.generations).toBe(5);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await h.test.db.query('select id from ai_generations order by id');
    const response = await h.request(actors.member, 'POST', path(organizationId), {
      generationType: 'poem', provider: '', model: 'm', promptTokens: -1, cost: -0.5, projectId: 'nope', extra: 1,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['generationType', 'provider', 'promptTokens', 'cost', 'projectId']));
    expect((await h.request(actors.viewer, 'GET', `${path(organizationId, '/usage')}?from=2025-02-01&to=2025-01-01`)).status).toBe(400);
    expect((await h.request(actors.viewer, 'GET', `${path(organizationId, '/usage')}?from=yesterday`)).status).toBe(400);
    expect(await h.test.db.query('select id from ai_generations order by id')).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer recording', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await h.request(null, 'GET', path(organizationId, '/usage'))).status).toBe(401);
    expect((await h.request(null, 'POST', path(organizationId), generation())).status).toBe(401);
    const viewer = await h.request(actors.viewer, 'POST', path(organizationId), generation());
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it("answers 404 for another tenant's organization, project or provider, and writes nothing", async () => {
    const outsider = h.tenantB.actors.owner;
    const before = await h.test.db.query('select * from ai_generations order by id');
    const attempts = [
      await h.request(outsider, 'GET', path(h.tenantA.organizationId)),
      await h.request(outsider, 'GET', path(h.tenantA.organizationId, '/usage')),
      await h.request(outsider, 'POST', path(h.tenantA.organizationId), generation()),
      await h.request(outsider, 'POST', path(h.tenantB.organizationId), generation({ projectId })),
      await h.request(outsider, 'POST', path(h.tenantB.organizationId), generation({ aiProviderId })),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    const missing = await h.request(outsider, 'POST', path(h.tenantB.organizationId), generation({ projectId: crypto.randomUUID() }));
    expect(await attempts[3]!.json()).toEqual(await missing.json());
    expect(await h.test.db.query('select * from ai_generations order by id')).toEqual(before);
    const seen = (await (await h.request(outsider, 'GET', `${path(h.tenantB.organizationId)}?projectId=${projectId}`)).json()) as Page;
    expect(seen.items).toEqual([]);
  });
});
