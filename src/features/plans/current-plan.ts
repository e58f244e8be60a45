import { and, eq, inArray } from 'drizzle-orm';
import { subscriptionPlans, subscriptions } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Subscription states that still grant the plan. */
const LIVE_STATUSES = ['trialing', 'active', 'past_due'] as const;

export type CurrentPlan = { id: string; code: string; maxStorageBytes: number | null };

/**
 * The plan an organization is on: its live subscription's plan, else the 'free' plan.
 * Null only when neither exists (no reference data), which callers treat as "nothing included".
 */
export async function currentPlan(tx: Tx, organizationId: string): Promise<CurrentPlan | null> {
  const columns = { id: subscriptionPlans.id, code: subscriptionPlans.code, maxStorageBytes: subscriptionPlans.maxStorageBytes };
  const [subscribed] = await tx
    .select(columns)
    .from(subscriptions)
    .innerJoin(subscriptionPlans, eq(subscriptionPlans.id, subscriptions.planId))
    .where(and(eq(subscriptions.organizationId, organizationId), inArray(subscriptions.status, LIVE_STATUSES)))
    .limit(1);
  if (subscribed) return subscribed;
  const [free] = await tx.select(columns).from(subscriptionPlans).where(eq(subscriptionPlans.code, 'free'));
  return free ?? null;
}
