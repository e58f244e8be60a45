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
