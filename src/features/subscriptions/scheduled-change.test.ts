import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { startJobWorker } from '../../jobs/worker.js';
import { withTenant } from '../../db/tenant-context.js';
import { applyScheduledChange, endOfMonth, scheduledChangeJobHandler } from './scheduled-change.js';

type Subscription = { plan: { code: string }; scheduledChange: { plan: { code: string }; at: string } | null; billingMode: string };

describe('plan changes scheduled for the end of the period (BILLING_MODE=none)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
    await h.test.db.query(
      `insert into subscription_plans (code, name, price_cents, billing_period, max_members, max_projects, max_tasks)
       values ('business', 'Business', 9900, 'monthly', null, null, null), ('tiny', 'Tiny', 500, 'monthly', 10, 3, 50)`,
    );
  });
  afterAll(async () => {
    await h.destroy();
  });

  const org = () => h.tenantA.organizationId;
  const change = (body: unknown, actor = h.tenantA.actors.owner) => h.request(actor, 'POST', `/api/v1/orgs/${org()}/subscription/change`, body);
  const subscription = async () => (await (await h.request(h.tenantA.actors.viewer, 'GET', `/api/v1/orgs/${org()}/subscription`)).json()) as Subscription;
  const projects = async () => Number((await h.test.db.query<{ n: string }>(`select count(*) as n from projects where organization_id = $1 and deleted_at is null`, [org()]))[0]?.n);
  /** Lets the period end now: the subscription's change and its job become due. */
  const endPeriod = async () => {
    await h.test.db.query(`update subscriptions set scheduled_change_at = now() - interval '1 second' where organization_id = $1 and scheduled_plan_id is not null`, [org()]);
    await h.test.db.query(`update jobs set run_at = now() where kind = 'billing.scheduled-plan-change' and status = 'queued'`);
  };

  it('schedules a downgrade the usage is over for the end of the period, then applies it: nothing deleted, new projects refused', async () => {
    const { actors } = h.tenantA;
    expect((await change({ plan: 'business' })).status).toBe(200);
    for (const key of ['SA', 'SB', 'SC', 'SD']) expect((await h.request(actors.member, 'POST', `/api/v1/orgs/${org()}/projects`, { name: key, key })).status).toBe(201);
    const used = await projects();
    expect(used).toBeGreaterThan(3);

    // At once: refused with the caps it would break.
    const now = await change({ plan: 'tiny' });
    expect(now.status).toBe(403);
    expect(await now.json()).toMatchObject({ error: { code: 'limit_exceeded' } });
    // Only owners may schedule either.
    expect((await change({ plan: 'tiny', at: 'period_end' }, actors.admin)).status).toBe(403);
    expect((await change({ plan: 'tiny', at: 'later' })).status).toBe(400);
    expect((await subscription()).scheduledChange).toBeNull();

    const scheduled = await change({ plan: 'tiny', at: 'period_end' });
    expect(scheduled.status).toBe(200);
    // No period end of its own (BILLING_MODE=none): the calendar month's.
    expect(await scheduled.json()).toMatchObject({ plan: { code: 'business' }, billingMode: 'none', scheduledChange: { plan: { code: 'tiny' }, at: endOfMonth().toISOString() } });

    const worker = startJobWorker(h.test.db, pino({ level: 'silent' }), [scheduledChangeJobHandler(h.test.db)], { start: false });
    // Not due yet: nothing moves.
    await worker.runDue();
    expect((await subscription()).plan.code).toBe('business');
    // A job that runs early (a retry, a clock ahead of the database's) finds the change not due.
    const subscriptionId = (await h.test.db.query<{ id: string }>(`select id from subscriptions where organization_id = $1`, [org()]))[0]?.id ?? '';
    const early = await withTenant(h.test.db, { organizationId: org() }, (tx) => applyScheduledChange(tx, { organizationId: org(), subscriptionId }));
    expect(early).toBe(false);
    expect((await subscription()).plan.code).toBe('business');

    await endPeriod();
    await worker.runDue();
    expect(await subscription()).toMatchObject({ plan: { code: 'tiny' }, scheduledChange: null });
    expect(await projects()).toBe(used);
    expect((await h.request(actors.viewer, 'GET', `/api/v1/orgs/${org()}/projects`)).status).toBe(200);
    const over = await h.request(actors.member, 'POST', `/api/v1/orgs/${org()}/projects`, { name: 'One more', key: 'SE' });
    expect(over.status).toBe(403);
    expect(await over.json()).toMatchObject({ error: { code: 'limit_exceeded' } });
    await worker.stop();
  });

  it('drops a scheduled change when it is cancelled or replaced, and a stale job then changes nothing', async () => {
    const worker = startJobWorker(h.test.db, pino({ level: 'silent' }), [scheduledChangeJobHandler(h.test.db)], { start: false });
    expect((await change({ plan: 'business' })).status).toBe(200);
    expect((await change({ plan: 'tiny', at: 'period_end' })).status).toBe(200);
    const cancelled = await h.request(h.tenantA.actors.owner, 'DELETE', `/api/v1/orgs/${org()}/subscription/scheduled-change`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ scheduledChange: null });
    expect((await h.request(h.tenantA.actors.admin, 'DELETE', `/api/v1/orgs/${org()}/subscription/scheduled-change`)).status).toBe(403);

    expect((await change({ plan: 'tiny', at: 'period_end' })).status).toBe(200);
    // Choosing a plan at once replaces the schedule.
    expect(await (await change({ plan: 'pro' })).json()).toMatchObject({ plan: { code: 'pro' }, scheduledChange: null });
    await h.test.db.query(`update jobs set run_at = now() where kind = 'billing.scheduled-plan-change' and status = 'queued'`);
    await worker.runDue();
    expect((await subscription()).plan.code).toBe('pro');
    await worker.stop();
  });
});
