// SQL of mail_deliveries (migration 0020): what an organization's admins see of its mail.
import { and, count, desc, eq, gt, lt, min, sql } from 'drizzle-orm';
import { type MailDeliveryStatus, mailDeliveries } from '../db/schema/index.js';
import type { Tx } from '../db/tenant-context.js';

export type MailDeliveryRow = typeof mailDeliveries.$inferSelect;

export async function insertDelivery(
  tx: Tx,
  organizationId: string,
  values: { id: string; jobId: string; template: string; recipient: string; subject: string; requestedBy: string | null },
): Promise<void> {
  await tx.insert(mailDeliveries).values({ ...values, organizationId });
}

export async function updateDelivery(
  tx: Tx,
  organizationId: string,
  id: string,
  change: { status: MailDeliveryStatus; attempts: number; lastError?: string | null; sent?: boolean },
): Promise<void> {
  await tx
    .update(mailDeliveries)
    .set({
      status: change.status,
      attempts: change.attempts,
      ...(change.lastError !== undefined ? { lastError: change.lastError } : {}),
      ...(change.sent ? { sentAt: sql`now()` } : {}),
    })
    .where(and(eq(mailDeliveries.organizationId, organizationId), eq(mailDeliveries.id, id)));
}

/** Newest first: ids are time-ordered (v7), so the primary key pages them. */
export async function listDeliveries(
  tx: Tx,
  organizationId: string,
  filter: { status?: MailDeliveryStatus; beforeId: string | null; limit: number },
): Promise<MailDeliveryRow[]> {
  return tx
    .select()
    .from(mailDeliveries)
    .where(
      and(
        eq(mailDeliveries.organizationId, organizationId),
        filter.status ? eq(mailDeliveries.status, filter.status) : undefined,
        filter.beforeId ? lt(mailDeliveries.id, filter.beforeId) : undefined,
      ),
    )
    .orderBy(desc(mailDeliveries.id))
    .limit(filter.limit + 1);
}

/**
 * How many of the organization's `template` mails to `recipient` (case ignored) or queued by
 * `requestedBy` the last `withinSeconds` hold, and when the oldest of them was queued: what a
 * limit on sending them needs.
 */
export async function countRecentDeliveries(
  tx: Tx,
  organizationId: string,
  filter: { template: string; withinSeconds: number } & ({ recipient: string } | { requestedBy: string }),
): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await tx
    .select({ count: count(), oldest: min(mailDeliveries.createdAt) })
    .from(mailDeliveries)
    .where(
      and(
        eq(mailDeliveries.organizationId, organizationId),
        eq(mailDeliveries.template, filter.template),
        gt(mailDeliveries.createdAt, sql`now() - make_interval(secs => ${filter.withinSeconds})`),
        'recipient' in filter ? sql`lower(${mailDeliveries.recipient}) = lower(${filter.recipient})` : eq(mailDeliveries.requestedBy, filter.requestedBy),
      ),
    );
  return { count: row?.count ?? 0, oldest: row?.oldest ?? null };
}
