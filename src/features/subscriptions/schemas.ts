import { z } from '@hono/zod-openapi';
import { billingPeriods, subscriptionStatuses } from '../../db/schema/index.js';
import { PlanLimits } from '../plans/schemas.js';

export const PlanSummary = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    priceCents: z.number().int(),
    currency: z.string(),
    billingPeriod: z.enum(billingPeriods),
    limits: PlanLimits,
  })
  .openapi('PlanSummary');

export const Subscription = z
  .object({
    /** null when the organization has never subscribed and runs on the free plan. */
    id: z.uuid().nullable(),
    status: z.enum(subscriptionStatuses).nullable(),
    plan: PlanSummary,
    currentPeriodStart: z.iso.datetime().nullable(),
    currentPeriodEnd: z.iso.datetime().nullable(),
    trialEndsAt: z.iso.datetime().nullable(),
    canceledAt: z.iso.datetime().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    seats: z.number().int().nullable(),
    /** A plan change waiting for the end of the period (`at`), or null. */
    scheduledChange: z.object({ plan: z.object({ code: z.string(), name: z.string() }), at: z.iso.datetime() }).nullable(),
    /** How plans are paid for here (BILLING_MODE): `none`, owners change plan directly; `stripe`, through Checkout and the Customer Portal. */
    billingMode: z.enum(['none', 'stripe']),
  })
  .openapi('Subscription');

const Meter = z
  .object({ used: z.number(), limit: z.number().nullable() })
  .openapi('UsageMeter', { description: 'How much is used against the plan; a null limit means unlimited' });

export const Usage = z
  .object({
    /** The plan whose limits apply: the trialing, active or past-due subscription's, else the free plan. */
    plan: z.object({ code: z.string(), name: z.string() }).nullable(),
    /** AI tokens count from the start of this calendar month (UTC). */
    monthStart: z.iso.datetime(),
    members: Meter,
    projects: Meter,
    tasks: Meter,
    storageBytes: Meter,
    aiTokens: Meter,
  })
  .openapi('Usage');

export const ChangePlanBody = z
  .strictObject({
    /** A plan's `code` from `GET /api/v1/plans`. */
    plan: z.string().trim().min(1).max(64),
    /**
     * `now` (the default): at once, refused when the usage is over the plan's caps. `period_end`:
     * at the end of the current period (of the calendar month, UTC, when it has none), whatever
     * the usage then; choosing the current plan drops a scheduled change.
     */
    at: z.enum(['now', 'period_end']).default('now'),
  })
  .openapi('ChangePlan');

export type ChangePlanInput = z.infer<typeof ChangePlanBody>;
