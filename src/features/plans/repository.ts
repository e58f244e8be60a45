import { asc, eq } from 'drizzle-orm';
import { features, planFeatures, subscriptionPlans } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

// The plan catalogue is platform data shared by every tenant, so these functions take no
// organization: there is no tenant to scope by.

export type PlanRow = typeof subscriptionPlans.$inferSelect;
export type FeatureRow = typeof features.$inferSelect;

/** Plans on sale, cheapest first. */
export async function listActivePlans(tx: Tx): Promise<PlanRow[]> {
  return tx
    .select()
    .from(subscriptionPlans)
    .where(eq(subscriptionPlans.isActive, true))
    .orderBy(asc(subscriptionPlans.priceCents), asc(subscriptionPlans.code));
}

export async function listFeatures(tx: Tx): Promise<FeatureRow[]> {
  return tx.select().from(features).orderBy(asc(features.code));
}

/** Which feature belongs to which active plan, by code. */
export async function listActivePlanFeatures(tx: Tx): Promise<{ planCode: string; featureCode: string }[]> {
  return tx
    .select({ planCode: subscriptionPlans.code, featureCode: features.code })
    .from(planFeatures)
    .innerJoin(subscriptionPlans, eq(subscriptionPlans.id, planFeatures.planId))
    .innerJoin(features, eq(features.id, planFeatures.featureId))
    .where(eq(subscriptionPlans.isActive, true))
    .orderBy(asc(features.code));
}
