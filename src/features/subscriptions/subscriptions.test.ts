import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { startOfMonth } from './service.js';

type Meter = { used: number; limit: number | null };
type Usage = Record<'members' | 'projects' | 'tasks' | 'storageBytes' | 'aiTokens', Meter> & { plan: { code: string } | null; monthStart: string };

describe('subscription and usage API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest: 'subscription' | 'usage') => `/api/v1/orgs/${orgId}/${rest}`;

  it('shows an organization that never subscribed on the free plan', async () => {
    const { organizationId, actors } = h.tenantA;
    // Organizations made through the API start on a free subscription; older ones may have none.
    await h.test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    const response = await h.request(actors.viewer, 'GET', path(organizationId, 'subscription'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: null,
      status: null,
      plan: { code: 'free', limits: { members: 10, projects: 5, tasks: 200 } },
      cancelAtPeriodEnd: false,
    });
  });

  it("shows the current subscription's plan, status and periods", async () => {
    const { organizationId, actors } = h.tenantB;
    await h.test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    await h.test.db.query(
      `insert into subscriptions (organization_id, plan_id, status, current_period_start, current_period_end, seats)
       select $1, id, 'active', '2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z', 12 from subscription_plans where code = 'pro'`,
      [organizationId],
    );
    // A newer, canceled one is history, not the current subscription.
    await h.test.db.query(
      `insert into subscriptions (organization_id, plan_id, status) select $1, id, 'canceled' from subscription_plans where code = 'free'`,
      [organizationId],
    );
    const response = await h.request(actors.member, 'GET', path(organizationId, 'subscription'));
    expect(await response.json()).toMatchObject({
      status: 'active',
      plan: { code: 'pro', priceCents: 2900, limits: { members: null } },
      currentPeriodStart: '2030-01-01T00:00:00.000Z',
      currentPeriodEnd: '2030-02-01T00:00:00.000Z',
      seats: 12,
    });
    const usage = (await (await h.request(actors.member, 'GET', path(organizationId, 'usage'))).json()) as Usage;
    expect(usage.plan?.code).toBe('pro');
    expect(usage.members).toEqual({ used: 4, limit: null });
  });

  it('counts members, live projects and tasks, stored bytes and this month’s AI tokens against the plan', async () => {
    const { organizationId, actors } = h.tenantA;
    const ids: string[] = [];
    for (const key of ['USE', 'GONE']) {
      const created = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: key, key });
      ids.push(((await created.json()) as { id: string }).id);
    }
    await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${organizationId}/projects/${ids[1] ?? ''}`);
    const project = ids[0] ?? '';
    await h.test.db.query(
      `insert into tasks (organization_id, project_id, title, deleted_at) values ($1, $2, 'a', null), ($1, $2, 'b', null), ($1, $2, 'c', now())`,
      [organizationId, project],
    );
    await h.test.db.query(
      `insert into project_assets (organization_id, project_id, file_name, content_type, size_bytes, checksum_sha256, storage_key, deleted_at)
       values ($1, $2, 'a.pdf', 'application/pdf', 1500, repeat('a', 64), 'k1', null),
              ($1, $2, 'b.png', 'image/png', 2500, repeat('b', 64), 'k2', null),
              ($1, $2, 'c.png', 'image/png', 9999, repeat('c', 64), 'k3', now())`,
      [organizationId, project],
    );
    await h.test.db.query(
      `insert into ai_generations (organization_id, generation_type, provider, model, total_tokens, created_at)
       values ($1, 'prd', 'openai', 'gpt', 700, now()), ($1, 'story', 'openai', 'gpt', 300, now()),
              ($1, 'prd', 'openai', 'gpt', 5000, $2::timestamptz - interval '1 second')`,
      [organizationId, startOfMonth().toISOString()],
    );
    await h.test.db.query(`update subscription_plans set max_storage_bytes = 1000000 where code = 'free'`);

    const response = await h.request(actors.viewer, 'GET', path(organizationId, 'usage'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      plan: { code: 'free', name: 'Free' },
      monthStart: startOfMonth().toISOString(),
      members: { used: 4, limit: 10 },
      projects: { used: 1, limit: 5 },
      tasks: { used: 2, limit: 200 },
      storageBytes: { used: 4000, limit: 1_000_000 },
      aiTokens: { used: 1000, limit: null },
    });
  });

  it('answers 401 without a session', async () => {
    for (const rest of ['subscription', 'usage'] as const) {
      const response = await h.request(null, 'GET', path(h.tenantA.organizationId, rest));
      expect(response.status).toBe(401);
    }
  });

  it("answers 404 for another tenant's subscription and usage", async () => {
    const outsider = h.tenantB.actors.owner;
    for (const rest of ['subscription', 'usage'] as const) {
      const other = await h.request(outsider, 'GET', path(h.tenantA.organizationId, rest));
      const missing = await h.request(outsider, 'GET', path(crypto.randomUUID(), rest));
      expect([other.status, missing.status]).toEqual([404, 404]);
      expect(await other.json()).toEqual(await missing.json());
    }
  });
});
