import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Subscription = { id: string | null; status: string | null; plan: { code: string } };
type ErrorBody = { error: { code: string; message: string; details?: unknown } };

describe('changing plan with BILLING_MODE=none', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
    // A larger plan to race towards, and a small one to race away to.
    await h.test.db.query(
      `insert into subscription_plans (code, name, price_cents, billing_period, max_members, max_projects, max_tasks)
       values ('business', 'Business', 9900, 'monthly', null, null, null), ('tiny', 'Tiny', 500, 'monthly', 10, 3, 50)`,
    );
  });
  afterAll(async () => {
    await h.destroy();
  });

  const change = (actor: Actor, plan: unknown, orgId = h.tenantA.organizationId) =>
    h.request(actor, 'POST', `/api/v1/orgs/${orgId}/subscription/change`, { plan });
  const subscriptionsOf = (orgId: string) =>
    h.test.db.query<{ id: string; code: string; status: string }>(
      `select s.id, p.code, s.status from subscriptions s join subscription_plans p on p.id = s.plan_id
        where s.organization_id = $1 order by s.created_at`,
      [orgId],
    );
  const createProject = (actor: Actor, orgId: string, key: string) =>
    h.request(actor, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: `Project ${key}`, key });
  const projectCount = async (orgId: string) =>
    Number((await h.test.db.query<{ n: string }>(`select count(*) as n from projects where organization_id = $1 and deleted_at is null`, [orgId]))[0]?.n);
  const setStatus = (orgId: string, status: string) =>
    h.test.db.query(`update subscriptions set status = $2 where organization_id = $1 and status <> 'canceled'`, [orgId, status]);

  it('lets only the owner move the organization to another plan, at once', async () => {
    const { organizationId, actors } = h.tenantA;
    const [before] = await subscriptionsOf(organizationId);
    for (const actor of [actors.admin, actors.member, actors.viewer]) {
      const refused = await change(actor, 'pro');
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as ErrorBody).error.message).toContain('billing:manage');
    }
    expect(await subscriptionsOf(organizationId)).toEqual([before]);

    const upgraded = await change(actors.owner, 'pro');
    expect(upgraded.status).toBe(200);
    expect(await upgraded.json()).toMatchObject({ id: before?.id, status: 'active', plan: { code: 'pro', limits: { projects: null } } });
    expect(await subscriptionsOf(organizationId)).toEqual([{ id: before?.id, code: 'pro', status: 'active' }]);
    // The change is in the audit trail, as the owner's.
    const [audit] = await h.test.db.query<{ actor_user_id: string }>(
      `select actor_user_id from audit_logs where organization_id = $1 and resource_type = 'subscriptions' and action = 'update'`,
      [organizationId],
    );
    expect(audit?.actor_user_id).toBe(actors.owner.userId);
    // The same plan again changes nothing.
    expect(await (await change(actors.owner, 'pro')).json()).toMatchObject({ plan: { code: 'pro' } });
  });

  it('refuses unknown plans, and answers 404 to another tenant', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await subscriptionsOf(organizationId);
    const unknown = await change(actors.owner, 'platinum');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'plan' }] } });
    expect((await change(actors.owner, '')).status).toBe(400);
    expect((await h.request(actors.owner, 'POST', `/api/v1/orgs/${organizationId}/subscription/change`, { plan: 'pro', extra: 1 })).status).toBe(400);
    expect((await change(h.tenantB.actors.owner, 'business', organizationId)).status).toBe(404);
    expect(await subscriptionsOf(organizationId)).toEqual(before);
  });

  it('refuses a downgrade below what the organization uses, naming each limit it would break', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await change(actors.owner, 'pro')).status).toBe(200);
    const have = await projectCount(organizationId);
    for (let i = have; i < 6; i++) expect((await createProject(actors.member, organizationId, `DOWN${i}`)).status).toBe(201);
    const refused = await change(actors.owner, 'free');
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'limit_exceeded', details: [{ resource: 'projects', limit: 5, used: 6 }] });
    expect(body.error.message).toContain('6 projects (the plan allows 5)');
    expect((await subscriptionsOf(organizationId)).map((s) => s.code)).toEqual(['pro']);

    const [last] = await h.test.db.query<{ id: string }>(`select id from projects where organization_id = $1 and key = 'DOWN5'`, [organizationId]);
    expect((await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${organizationId}/projects/${last?.id}`)).status).toBe(204);
    expect(await (await change(actors.owner, 'free')).json()).toMatchObject({ plan: { code: 'free' } });
  });

  it('keeps reads and edits of a past-due or canceled organization working, answers 402 to writes that count, deletes nothing', async () => {
    const { organizationId, actors } = h.tenantB;
    const created = await createProject(actors.member, organizationId, 'KEEP');
    const project = (await created.json()) as { id: string };
    const task = (await (await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects/${project.id}/tasks`, { title: 'Kept' })).json()) as { id: string };

    for (const status of ['past_due', 'canceled']) {
      await setStatus(organizationId, status);
      expect((await h.request(actors.viewer, 'GET', `/api/v1/orgs/${organizationId}/projects/${project.id}`)).status).toBe(200);
      expect((await h.request(actors.viewer, 'GET', `/api/v1/orgs/${organizationId}/tasks/${task.id}`)).status).toBe(200);
      expect((await h.request(actors.member, 'PATCH', `/api/v1/orgs/${organizationId}/tasks/${task.id}`, { title: 'Still editable' })).status).toBe(200);
      const blocked = [
        await createProject(actors.member, organizationId, 'NOPE'),
        await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects/${project.id}/tasks`, { title: 'Blocked' }),
        await h.request(actors.admin, 'POST', `/api/v1/orgs/${organizationId}/invitations`, { email: `late-${status}@example.test`, role: 'member' }),
      ];
      for (const response of blocked) {
        expect(response.status).toBe(402);
        expect(await response.json()).toMatchObject({ error: { code: 'payment_required', details: { status } } });
      }
      expect(await projectCount(organizationId)).toBe(1);
      expect(await h.test.db.query(`select title from tasks where organization_id = $1`, [organizationId])).toEqual([{ title: 'Still editable' }]);

      // The owner choosing a plan makes it active again, and the blocked write goes through.
      expect(await (await change(actors.owner, 'pro', organizationId)).json()).toMatchObject({ status: 'active', plan: { code: 'pro' } });
      const again = await createProject(actors.member, organizationId, `BACK${status === 'past_due' ? 'A' : 'B'}`);
      expect(again.status).toBe(201);
      await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${organizationId}/projects/${((await again.json()) as { id: string }).id}`);
    }
    // Canceled stays in the history; the owner's choice started a new subscription.
    expect((await subscriptionsOf(organizationId)).map((s) => s.status)).toEqual(['canceled', 'active']);
  });

  it('settles two plan changes at once into one live subscription', async () => {
    const { organizationId, actors } = h.tenantB;
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([change(actors.owner, 'business', organizationId), change(actors.owner, 'pro', organizationId)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const live = (await subscriptionsOf(organizationId)).filter((s) => s.status !== 'canceled');
      expect(live).toHaveLength(1);
      const shown = (await (await h.request(actors.viewer, 'GET', `/api/v1/orgs/${organizationId}/subscription`)).json()) as Subscription;
      expect(shown.plan.code).toBe(live[0]?.code);
    }
  });

  it('never lands on a plan smaller than the usage when creates race a downgrade', async () => {
    const { organizationId, actors } = h.tenantB;
    for (let round = 0; round < 6; round++) {
      expect((await change(actors.owner, 'pro', organizationId)).status).toBe(200);
      const existing = await h.test.db.query<{ id: string }>(`select id from projects where organization_id = $1 and deleted_at is null`, [organizationId]);
      for (const { id } of existing) expect((await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${organizationId}/projects/${id}`)).status).toBe(204);
      for (const key of ['RACEA', 'RACEB']) expect((await createProject(actors.member, organizationId, `${key}${round}`)).status).toBe(201);
      // Tiny allows 3 projects: the downgrade and two more creates cannot all succeed.
      const [downgrade, ...creates] = await Promise.all([
        change(actors.owner, 'tiny', organizationId),
        createProject(actors.member, organizationId, `RACEC${round}`),
        createProject(actors.admin, organizationId, `RACED${round}`),
      ]);
      const [live] = (await subscriptionsOf(organizationId)).filter((s) => s.status !== 'canceled');
      const projects = await projectCount(organizationId);
      if (live?.code === 'tiny') expect(projects).toBeLessThanOrEqual(3);
      expect(downgrade.status === 200 ? live?.code : 'pro').toBe(live?.code);
      expect(creates.map((r) => r.status).every((s) => s === 201 || s === 403)).toBe(true);
    }
  });
});
