import { z } from '@hono/zod-openapi';
import { billingPeriods } from '../../db/schema/index.js';

const limit = () => z.number().int().nullable();

export const PlanLimits = z
  .object({
    members: limit(),
    projects: limit(),
    tasks: limit(),
    storageBytes: limit(),
    aiTokensPerMonth: limit(),
  })
  .openapi('PlanLimits', { description: 'The caps a plan sets; null means unlimited' });

export const Plan = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    priceCents: z.number().int(),
    currency: z.string(),
    billingPeriod: z.enum(billingPeriods),
    limits: PlanLimits,
    /** Codes of the features the plan includes. */
    features: z.array(z.string()),
  })
  .openapi('Plan');

export const Feature = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    /** Codes of the active plans that include the feature. */
    plans: z.array(z.string()),
  })
  .openapi('Feature');

export const PlanList = z.object({ items: z.array(Plan) }).openapi('PlanList');
export const FeatureList = z.object({ items: z.array(Feature) }).openapi('FeatureList');
