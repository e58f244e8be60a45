import { and, desc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import {
  aiGenerations,
  members,
  organizations,
  projectAssets,
  projects,
  subscriptionPlans,
  subscriptions,
  tasks,
} from '../../db/schema/index.js';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/tenant-context.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type PlanRow = typeof subscriptionPlans.$inferSelect;

/** The organization's subscription that is not canceled (at most one, by a unique index), with its plan. */
export async function findCurrentSubscription(
  tx: Tx,
  organizationId: string,
): Promise<{ subscription: SubscriptionRow; plan: PlanRow } | undefined> {
  const [row] = await tx
    .select({ subscription: subscriptions, plan: subscriptionPlans })
    .from(subscriptions)
    .innerJoin(subscriptionPlans, eq(subscriptionPlans.id, subscriptions.planId))
    .where(and(eq(subscriptions.organizationId, organizationId), ne(subscriptions.status, 'canceled')))
    .orderBy(desc(subscriptions.createdAt))
    .limit(1);
  return row;
}

export async function findPlan(tx: Tx, planId: string): Promise<PlanRow | undefined> {
  const [plan] = await tx.select().from(subscriptionPlans).where(eq(subscriptionPlans.id, planId));
  return plan;
}

export async function findFreePlan(tx: Tx): Promise<PlanRow | undefined> {
  const [plan] = await tx.select().from(subscriptionPlans).where(eq(subscriptionPlans.code, 'free'));
  return plan;
}

const total = (query: ReturnType<typeof sql>) => sql<string>`(${query})`.mapWith(Number);

/**
 * Everything the plan meters, counted the way assertWithinLimit counts (live rows only), in one
 * statement. Storage is the live assets' bytes; AI tokens are those used since `since`.
 */
export async function measureUsage(tx: Tx, organizationId: string, since: Date) {
  const [usage] = await tx
    .select({
      members: total(sql`select count(*) from ${members} where ${members.organizationId} = ${organizationId}`),
      projects: total(
        sql`select count(*) from ${projects} where ${and(eq(projects.organizationId, organizationId), isNull(projects.deletedAt))}`,
      ),
      tasks: total(sql`select count(*) from ${tasks} where ${and(eq(tasks.organizationId, organizationId), isNull(tasks.deletedAt))}`),
      storageBytes: total(
        sql`select coalesce(sum(${projectAssets.sizeBytes}), 0) from ${projectAssets}
             where ${and(eq(projectAssets.organizationId, organizationId), isNull(projectAssets.deletedAt))}`,
      ),
      aiTokens: total(
        sql`select coalesce(sum(${aiGenerations.totalTokens}), 0) from ${aiGenerations}
             where ${and(eq(aiGenerations.organizationId, organizationId), gte(aiGenerations.createdAt, since))}`,
      ),
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return usage;
}

/** A plan that can be chosen: one of the catalogue's active plans. */
export async function findActivePlanByCode(tx: Tx, code: string): Promise<PlanRow | undefined> {
  const [plan] = await tx.select().from(subscriptionPlans).where(and(eq(subscriptionPlans.code, code), eq(subscriptionPlans.isActive, true)));
  return plan;
}

/** Moves the organization's live subscription to another plan, active from now. */
export async function updateSubscriptionPlan(tx: Tx, organizationId: string, subscriptionId: string, planId: string, now: Date): Promise<void> {
  await tx
    .update(subscriptions)
    .set({ planId, status: 'active', currentPeriodStart: now, currentPeriodEnd: null, canceledAt: null, cancelAtPeriodEnd: false, scheduledPlanId: null, scheduledChangeAt: null })
    .where(and(eq(subscriptions.organizationId, organizationId), eq(subscriptions.id, subscriptionId)));
}

/** A new active subscription, for an organization whose last one was canceled. */
export async function insertActiveSubscription(tx: Tx, organizationId: string, planId: string, now: Date): Promise<void> {
  await tx.insert(subscriptions).values({ id: uuidv7(), organizationId, planId, status: 'active', currentPeriodStart: now });
}

/**
 * Queues plan changes of one organization behind each other for the rest of the transaction,
 * so two at once cannot both read the old plan and both write.
 */
export async function lockBilling(tx: Tx, organizationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`billing:${organizationId}`}, 0))`);
}

/** Records (or, with null, drops) the plan change that waits for `at`. */
export async function setScheduledChange(tx: Tx, organizationId: string, subscriptionId: string, change: { planId: string; at: Date } | null): Promise<void> {
  await tx
    .update(subscriptions)
    .set({ scheduledPlanId: change?.planId ?? null, scheduledChangeAt: change?.at ?? null })
    .where(and(eq(subscriptions.organizationId, organizationId), eq(subscriptions.id, subscriptionId)));
}

export async function findSubscription(tx: Tx, organizationId: string, subscriptionId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.organizationId, organizationId), eq(subscriptions.id, subscriptionId)));
  return row;
}
