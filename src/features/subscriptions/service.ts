import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import type { BillingConfig } from '../billing/config.js';
import { currentPlan } from '../plans/current-plan.js';
import { lockAllLimits } from '../plans/limits.js';
import { planLimits } from '../plans/service.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { PlanRow } from './repository.js';
import type { ChangePlanInput } from './schemas.js';
import { periodEnd, scheduleChange } from './scheduled-change.js';

function planSummary(plan: PlanRow) {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    priceCents: plan.priceCents,
    currency: plan.currency,
    billingPeriod: plan.billingPeriod,
    limits: planLimits(plan),
  };
}

/**
 * The organization's current subscription with its plan. An organization that never subscribed
 * runs on the free plan, shown with no subscription id or status.
 */
export async function getSubscription(call: ServiceCall, billing: BillingConfig) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    const current = await repository.findCurrentSubscription(tx, organizationId);
    const plan = current?.plan ?? (await repository.findFreePlan(tx));
    if (!plan) throw new TenantryError('not_found', 'the organization has no subscription and there is no free plan');
    const subscription = current?.subscription;
    const scheduledPlan = subscription?.scheduledPlanId ? await repository.findPlan(tx, subscription.scheduledPlanId) : undefined;
    return {
      billingMode: billing.mode,
      scheduledChange:
        scheduledPlan && subscription?.scheduledChangeAt ? { plan: { code: scheduledPlan.code, name: scheduledPlan.name }, at: subscription.scheduledChangeAt.toISOString() } : null,
      id: subscription?.id ?? null,
      status: subscription?.status ?? null,
      plan: planSummary(plan),
      currentPeriodStart: subscription?.currentPeriodStart ?? null,
      currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
      trialEndsAt: subscription?.trialEndsAt ?? null,
      canceledAt: subscription?.canceledAt ?? null,
      cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
      seats: subscription?.seats ?? null,
    };
  });
}

/** The first instant of the current calendar month, UTC. */
export function startOfMonth(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** What the organization uses of each metered resource, against the limits that apply to it. */
export async function getUsage(call: ServiceCall) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  const monthStart = startOfMonth();
  const [plan, usage] = await inTenant(call, async (tx) => {
    // The plan whose limits apply: the live subscription's, else the free plan.
    const current = await currentPlan(tx, organizationId);
    const applying = current ? await repository.findPlan(tx, current.id) : undefined;
    return [applying, await repository.measureUsage(tx, organizationId, monthStart)] as const;
  });
  if (!usage) throw new TenantryError('not_found', 'organization not found');
  const limits = plan ? planLimits(plan) : null;
  return {
    plan: plan ? { code: plan.code, name: plan.name } : null,
    monthStart: monthStart.toISOString(),
    members: { used: usage.members, limit: limits?.members ?? null },
    projects: { used: usage.projects, limit: limits?.projects ?? null },
    tasks: { used: usage.tasks, limit: limits?.tasks ?? null },
    storageBytes: { used: usage.storageBytes, limit: limits?.storageBytes ?? null },
    aiTokens: { used: usage.aiTokens, limit: limits?.aiTokensPerMonth ?? null },
  };
}

type Usage = NonNullable<Awaited<ReturnType<typeof repository.measureUsage>>>;

/** Each cap of `plan` that the organization's usage is over: what a move to it would break. */
export function brokenLimits(plan: PlanRow, usage: Usage) {
  const caps = [
    ['members', plan.maxMembers, usage.members],
    ['projects', plan.maxProjects, usage.projects],
    ['tasks', plan.maxTasks, usage.tasks],
    ['storageBytes', plan.maxStorageBytes, usage.storageBytes],
  ] as const;
  return caps.filter(([, limit, used]) => limit !== null && used > limit).map(([resource, limit, used]) => ({ resource, limit, used }));
}

/**
 * Queues plan changes and Stripe syncs of one organization behind each other until the
 * transaction ends.
 */
export async function lockBilling(tx: Tx, organizationId: string): Promise<void> {
  await repository.lockBilling(tx, organizationId);
}

/**
 * Refuses with 403 `limit_exceeded`, naming each cap the organization's usage is over, when
 * `plan` is too small for it. It takes every limit lock first, so no create can grow the usage
 * between this check and the caller's commit.
 */
export async function assertPlanFits(tx: Tx, organizationId: string, plan: PlanRow): Promise<void> {
  await lockAllLimits(tx, organizationId);
  const usage = await repository.measureUsage(tx, organizationId, startOfMonth());
  if (!usage) throw new TenantryError('not_found', 'organization not found');
  const broken = brokenLimits(plan, usage);
  if (broken.length > 0) {
    const words = broken.map((b) => `${b.used} ${b.resource} (the plan allows ${b.limit})`).join(', ');
    throw new TenantryError('limit_exceeded', `the ${plan.code} plan is too small: the organization has ${words}`, broken);
  }
}

/**
 * An owner moves the organization to another plan free of charge (BILLING_MODE=none).
 * - At once (`at: "now"`): a plan whose caps the organization is over is refused with those
 *   caps; nothing is deleted. Moving also brings a past-due or canceled subscription back to
 *   active, and drops a scheduled change. The billing lock queues concurrent changes, and the
 *   limit locks keep creators from growing usage between the check and the commit.
 * - At the end of the period (`at: "period_end"`): recorded and applied then by a job, whatever
 *   the usage (scheduled-change.ts has the rule); the current plan drops a scheduled change.
 */
export async function changePlan(call: ServiceCall, billing: BillingConfig, input: ChangePlanInput) {
  requirePermission(call, 'billing:manage');
  if (billing.mode !== 'none') {
    throw new TenantryError('refused', 'plans are paid through Stripe here: subscribe or upgrade with POST /api/v1/orgs/{orgId}/billing/checkout');
  }
  const organizationId = call.scope.organizationId;
  await inTenant(call, async (tx) => {
    await lockBilling(tx, organizationId);
    const plan = await repository.findActivePlanByCode(tx, input.plan);
    if (!plan) throw new TenantryError('validation_failed', `no plan "${input.plan}"`, [{ path: 'plan', message: 'not a plan of the catalogue' }]);
    const current = await repository.findCurrentSubscription(tx, organizationId);
    if (input.at === 'period_end') {
      if (!current) throw new TenantryError('refused', 'the organization has no subscription whose period could end: change the plan now');
      if (current.plan.id === plan.id) await repository.setScheduledChange(tx, organizationId, current.subscription.id, null);
      else await scheduleChange(tx, organizationId, current.subscription.id, { planId: plan.id, at: periodEnd(current.subscription) });
      return;
    }
    if (current?.plan.id === plan.id && current.subscription.status === 'active') {
      await repository.setScheduledChange(tx, organizationId, current.subscription.id, null);
      return;
    }
    await assertPlanFits(tx, organizationId, plan);
    const now = new Date();
    if (current) await repository.updateSubscriptionPlan(tx, organizationId, current.subscription.id, plan.id, now);
    else await repository.insertActiveSubscription(tx, organizationId, plan.id, now);
  });
  return getSubscription(call, billing);
}

/** Drops the plan change waiting for the end of the period, if any (owners). */
export async function cancelScheduledChange(call: ServiceCall, billing: BillingConfig) {
  requirePermission(call, 'billing:manage');
  const organizationId = call.scope.organizationId;
  await inTenant(call, async (tx) => {
    await lockBilling(tx, organizationId);
    const current = await repository.findCurrentSubscription(tx, organizationId);
    if (current) await repository.setScheduledChange(tx, organizationId, current.subscription.id, null);
  });
  return getSubscription(call, billing);
}
