import { desc, eq, sql } from 'drizzle-orm';
import { subscriptions } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';

/**
 * Refuses with 402 `payment_required` while the organization's subscription is past due, or
 * when its newest subscription was canceled and none replaced it. Only writes that count
 * against a plan limit ask (src/features/plans/limits.ts, storage-limit.ts): reads and other
 * edits go on, and nothing is deleted, so paying (or an owner choosing a plan) restores the
 * organization as it was.
 */
export async function assertInGoodStanding(tx: Tx, organizationId: string): Promise<void> {
  // The live subscription decides (at most one is not canceled, by a partial unique index),
  // else the newest canceled one.
  const [latest] = await tx
    .select({ status: subscriptions.status })
    .from(subscriptions)
    .where(eq(subscriptions.organizationId, organizationId))
    .orderBy(desc(sql`${subscriptions.status} <> 'canceled'`), desc(subscriptions.createdAt))
    .limit(1);
  if (latest?.status === 'past_due' || latest?.status === 'canceled') {
    throw new TenantryError('payment_required', `the subscription is ${latest.status.replace('_', ' ')}: pay or change plan to add more`, {
      status: latest.status,
    });
  }
}
