import type { TestDatabase } from './database.js';

/**
 * Puts an organization on another plan, replacing the subscription it was created with, so a
 * test that makes many projects or uses plan features is not stopped by the free plan.
 *
 * @example
 * await subscribe(h.test, h.tenantA.organizationId, 'pro');
 */
export async function subscribe(test: TestDatabase, organizationId: string, planCode: string): Promise<void> {
  await test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
  await test.db.query(
    `insert into subscriptions (organization_id, plan_id, status) select $1, id, 'active' from subscription_plans where code = $2`,
    [organizationId, planCode],
  );
}
