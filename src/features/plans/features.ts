import { and, eq } from 'drizzle-orm';
import { features, planFeatures } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { type CurrentPlan, currentPlan } from './current-plan.js';

/** Feature codes the API gates on (rows of `features`, linked to plans by `plan_features`). */
export type FeatureCode = 'ai_assistant' | 'integrations';

/**
 * Refuses with 403 `feature_not_in_plan` unless the organization's current plan (live
 * subscription, else 'free') includes the feature.
 *
 * @example
 * await assertFeature(tx, organizationId, 'integrations');
 */
export async function assertFeature(tx: Tx, organizationId: string, code: FeatureCode): Promise<void> {
  const { plan, included } = await planFeature(tx, organizationId, code);
  if (!included) {
    const planName = plan ? `the ${plan.code} plan` : 'no plan';
    throw new TenantryError('feature_not_in_plan', `${planName} does not include ${code}; upgrade to use it`, {
      feature: code,
      plan: plan?.code ?? null,
    });
  }
}

/**
 * Whether the organization's current plan includes the feature, and that plan; for work that
 * must not throw (a job deciding whether to send).
 */
export async function planFeature(tx: Tx, organizationId: string, code: FeatureCode): Promise<{ plan: CurrentPlan | null; included: boolean }> {
  const plan = await currentPlan(tx, organizationId);
  const [included] = plan
    ? await tx
        .select({ code: features.code })
        .from(planFeatures)
        .innerJoin(features, eq(features.id, planFeatures.featureId))
        .where(and(eq(planFeatures.planId, plan.id), eq(features.code, code)))
    : [];
  return { plan, included: included !== undefined };
}
