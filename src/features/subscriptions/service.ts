import { TenantryError } from '../../errors.js';
import { currentPlan } from '../plans/current-plan.js';
import { planLimits } from '../plans/service.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { PlanRow } from './repository.js';

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
export async function getSubscription(call: ServiceCall) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    const current = await repository.findCurrentSubscription(tx, organizationId);
    const plan = current?.plan ?? (await repository.findFreePlan(tx));
    if (!plan) throw new TenantryError('not_found', 'the organization has no subscription and there is no free plan');
    const subscription = current?.subscription;
    return {
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
