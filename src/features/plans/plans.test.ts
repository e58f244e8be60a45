import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Plan = { code: string; limits: Record<string, number | null>; features: string[] };
type Feature = { code: string; plans: string[] };

describe('plans API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
    await h.test.db.query(`insert into features (code, name) values ('sso', 'Single sign-on'), ('ai', 'AI assistant')`);
    await h.test.db.query(
      `insert into subscription_plans (code, name, price_cents, is_active) values ('legacy', 'Legacy', 100, false)`,
    );
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id)
       select p.id, f.id from subscription_plans p, features f
        where (p.code = 'pro') or (p.code in ('free', 'legacy') and f.code = 'ai')`,
    );
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('shows anyone the plans on sale, cheapest first, with limits and features', async () => {
    const response = await h.request(null, 'GET', '/api/v1/plans');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Plan[] };
    expect(items.map((p) => p.code)).toEqual(['free', 'pro']);
    expect(items[0]).toMatchObject({
      code: 'free',
      limits: { members: 10, projects: 5, tasks: 200, storageBytes: null, aiTokensPerMonth: null },
      features: ['ai'],
    });
    expect(items[1]).toMatchObject({ code: 'pro', limits: { members: null }, features: ['ai', 'sso'] });
  });

  it('shows anyone the features, with the active plans that include them', async () => {
    const response = await h.request(null, 'GET', '/api/v1/features');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Feature[] };
    expect(items).toEqual([
      expect.objectContaining({ code: 'ai', plans: expect.arrayContaining(['free', 'pro']) as unknown }),
      expect.objectContaining({ code: 'sso', plans: ['pro'] }),
    ]);
    expect(items[0]?.plans).not.toContain('legacy');
  });

  it('answers a signed-in caller the same as an anonymous one', async () => {
    const anonymous = await (await h.request(null, 'GET', '/api/v1/plans')).json();
    const signedIn = await h.request(h.tenantA.actors.viewer, 'GET', '/api/v1/plans');
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual(anonymous);
  });
});
