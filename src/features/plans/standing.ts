import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';
import { rowsOf } from '../../db/rows.js';
import { TenantryError } from '../../errors.js';

/** Subscription states that stop writes counting against a limit. */
const NOT_IN_GOOD_STANDING = ['past_due', 'canceled'] as const;

/**
 * The status that decides the organization's standing: the live subscription's (at most one is
 * not canceled, by a partial unique index), else the newest canceled one's.
 */
const decidingStatus = (organizationId: string | Placeholder): SQL => sql`
  select status from subscriptions where organization_id = ${organizationId}
   order by status <> 'canceled' desc, created_at desc limit 1`;

/** `assertInGoodStanding`'s condition as SQL, for a check sent with the write (see tasks/create-in-one-trip.ts). */
export const inGoodStanding = (organizationId: string | Placeholder): SQL =>
  sql`not exists (select from (${decidingStatus(organizationId)}) deciding where deciding.status = any(${sql.param([...NOT_IN_GOOD_STANDING])}::text[]))`;

/**
 * Refuses with 402 `payment_required` while the organization's subscription is past due, or
 * when its newest subscription was canceled and none replaced it. Only writes that count
 * against a plan limit ask (src/features/plans/limits.ts, storage-limit.ts): reads and other
 * edits go on, and nothing is deleted, so paying (or an owner choosing a plan) restores the
 * organization as it was.
 */
export async function assertInGoodStanding(tx: Tx, organizationId: string): Promise<void> {
  const [latest] = rowsOf<{ status: string }>(await tx.execute(decidingStatus(organizationId)));
  const status = NOT_IN_GOOD_STANDING.find((bad) => bad === latest?.status);
  if (status) {
    throw new TenantryError('payment_required', `the subscription is ${status.replace('_', ' ')}: pay or change plan to add more`, { status });
  }
}
