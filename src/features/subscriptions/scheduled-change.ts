/**
 * Plan changes that wait for the end of the billing period (BILLING_MODE=none). The rule: the
 * change takes effect at `scheduledChangeAt`, whatever the usage then. Nothing is deleted; reads
 * and edits go on; creating more of anything over a cap of the new plan answers
 * `403 limit_exceeded` until the usage is back under it. A change made meanwhile (at once, or
 * scheduled again) replaces it, and DELETE …/subscription/scheduled-change drops it.
 */
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import { type Tx, withTenant } from '../../db/tenant-context.js';
import { type JobHandler, enqueueJob } from '../../jobs/queue.js';
import * as repository from './repository.js';

export const SCHEDULED_CHANGE_JOB_KIND = 'billing.scheduled-plan-change';

const ScheduledChangePayload = z.object({ organizationId: z.uuid(), subscriptionId: z.uuid() });
type ScheduledChangePayload = z.infer<typeof ScheduledChangePayload>;

/** The first instant of the next calendar month, UTC: the period of a subscription that has no period end of its own. */
export function endOfMonth(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** When a change scheduled now takes effect: the end of the current period, else of the calendar month (as AI tokens are counted). */
export function periodEnd(subscription: { currentPeriodEnd: Date | null }, now = new Date()): Date {
  return subscription.currentPeriodEnd && subscription.currentPeriodEnd > now ? subscription.currentPeriodEnd : endOfMonth(now);
}

/** Records the change on the subscription and queues the job that applies it, in the caller's transaction. */
export async function scheduleChange(tx: Tx, organizationId: string, subscriptionId: string, change: { planId: string; at: Date }): Promise<void> {
  await repository.setScheduledChange(tx, organizationId, subscriptionId, change);
  await enqueueJob(tx, { kind: SCHEDULED_CHANGE_JOB_KIND, payload: { organizationId, subscriptionId } satisfies ScheduledChangePayload, runAt: change.at, maxAttempts: 10 });
}

/**
 * Applies the subscription's scheduled change if it is still there and due. A job whose change
 * was dropped or replaced by a later one finds nothing due and does nothing, so stale, retried
 * or duplicate jobs are harmless. Returns whether it moved the plan.
 */
export async function applyScheduledChange(tx: Tx, { organizationId, subscriptionId }: ScheduledChangePayload, now = new Date()): Promise<boolean> {
  await repository.lockBilling(tx, organizationId);
  const subscription = await repository.findSubscription(tx, organizationId, subscriptionId);
  if (!subscription?.scheduledPlanId || !subscription.scheduledChangeAt || subscription.scheduledChangeAt > now) return false;
  if (subscription.status === 'canceled') {
    await repository.setScheduledChange(tx, organizationId, subscriptionId, null);
    return false;
  }
  await repository.updateSubscriptionPlan(tx, organizationId, subscriptionId, subscription.scheduledPlanId, subscription.scheduledChangeAt);
  return true;
}

export function scheduledChangeJobHandler(db: Database): JobHandler<ScheduledChangePayload> {
  return {
    kind: SCHEDULED_CHANGE_JOB_KIND,
    payload: ScheduledChangePayload,
    run: async (payload) => {
      await withTenant(db, { organizationId: payload.organizationId, requestId: 'system:scheduled-plan-change' }, (tx) => applyScheduledChange(tx, payload));
    },
  };
}
