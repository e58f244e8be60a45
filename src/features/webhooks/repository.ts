import { type Placeholder, type SQL, and, desc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { jobs, members, users, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.js';
import type { WebhookEvent } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Every column the API may show; the sealed secret stays out of reads and `returning`. */
const shown = {
  id: webhookSubscriptions.id,
  organizationId: webhookSubscriptions.organizationId,
  url: webhookSubscriptions.url,
  events: webhookSubscriptions.events,
  status: webhookSubscriptions.status,
  failingSince: webhookSubscriptions.failingSince,
  disabledReason: webhookSubscriptions.disabledReason,
  createdById: webhookSubscriptions.createdById,
  createdAt: webhookSubscriptions.createdAt,
  updatedAt: webhookSubscriptions.updatedAt,
};

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type SubscriptionView = Omit<SubscriptionRow, 'secretCiphertext'>;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type DeliveryChanges = Partial<Pick<DeliveryRow, 'status' | 'attempts' | 'responseStatus' | 'lastError' | 'deliveredAt'>>;
export type SubscriptionChanges = Partial<Pick<SubscriptionRow, 'url' | 'events' | 'status' | 'failingSince' | 'disabledReason'>>;

/** The queue's kind for one delivery attempt series. */
export const DELIVER_JOB_KIND = 'webhook.deliver';
/** Runs in all: with the queue's backoff (30 s doubling to 1 h) this spans more than the day that disables a URL. */
export const DELIVERY_MAX_ATTEMPTS = 40;

const subscriptionIn = (organizationId: string, id: string): SQL =>
  and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.id, id)) as SQL;

export async function listSubscriptions(tx: Tx, organizationId: string, page: { afterId: string | null; limit: number }): Promise<SubscriptionView[]> {
  return tx
    .select(shown)
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.organizationId, organizationId), page.afterId ? sql`${webhookSubscriptions.id} > ${page.afterId}` : undefined))
    .orderBy(webhookSubscriptions.id)
    .limit(page.limit + 1);
}

export async function findSubscription(tx: Tx, organizationId: string, id: string): Promise<SubscriptionView | undefined> {
  const [row] = await tx.select(shown).from(webhookSubscriptions).where(subscriptionIn(organizationId, id));
  return row;
}

/** With the sealed secret, for the delivery job only. */
export async function findSubscriptionForDelivery(tx: Tx, organizationId: string, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await tx.select().from(webhookSubscriptions).where(subscriptionIn(organizationId, id));
  return row;
}

export async function insertSubscription(
  tx: Tx,
  organizationId: string,
  values: Pick<SubscriptionRow, 'id' | 'url' | 'events' | 'secretCiphertext' | 'createdById'>,
): Promise<SubscriptionView> {
  const [row] = await tx.insert(webhookSubscriptions).values({ ...values, organizationId }).returning(shown);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateSubscription(tx: Tx, organizationId: string, id: string, changes: SubscriptionChanges): Promise<SubscriptionView | undefined> {
  const [row] = await tx.update(webhookSubscriptions).set(changes).where(subscriptionIn(organizationId, id)).returning(shown);
  return row;
}

export async function deleteSubscription(tx: Tx, organizationId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(webhookSubscriptions).where(subscriptionIn(organizationId, id)).returning({ id: webhookSubscriptions.id });
  return rows.length > 0;
}

/**
 * One delivery per active subscription to `event` and body, each with its job, in the caller's
 * transaction and in one statement: the deliveries' insert feeds the jobs' insert (a
 * data-modifying CTE), so a subscriber costs no extra round trip. With no subscriber this is
 * one indexed read that writes nothing.
 */
export async function enqueueDeliveries(tx: Tx, organizationId: string, event: WebhookEvent, bodies: string[]): Promise<void> {
  if (bodies.length === 0) return;
  await tx.execute(enqueueSql(organizationId, event, () => sql`unnest(${sql.param(bodies)}::text[])`));
}

/**
 * `enqueueDeliveries`'s statement, the bodies given by `bodies`: a FROM item of one text column
 * (an unnested array, or a subquery that builds the body from the row just written, which
 * should be gated by `anySubscriber` so that with nobody listening it reads nothing).
 * The app role may add jobs but not read them: the jobs' insert returns nothing.
 */
export function enqueueSql(organizationId: string | Placeholder, event: WebhookEvent | Placeholder, bodies: (anySubscriber: SQL) => SQL): SQL {
  return sql`
    with subscribers as (
      select s.organization_id, s.id from ${webhookSubscriptions} s
       where s.organization_id = ${organizationId} and s.status = 'active' and ${event}::text = any(s.events)
    ), delivered as (
      insert into ${webhookDeliveries} (organization_id, id, subscription_id, event, body)
      select s.organization_id, gen_random_uuid(), s.id, ${event}::text, bodies.body
        from subscribers s cross join ${bodies(sql`exists (select from subscribers)`)} as bodies(body)
      returning organization_id, id
    )
    insert into ${jobs} (id, kind, payload, max_attempts)
    select gen_random_uuid(), ${DELIVER_JOB_KIND}, jsonb_build_object('organizationId', organization_id, 'deliveryId', id), ${DELIVERY_MAX_ATTEMPTS}::int
      from delivered`;
}

export async function queueDeliveryJobs(tx: Tx, organizationId: string, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  // The app role may add jobs but not read them: no RETURNING.
  await tx.insert(jobs).values(
    deliveryIds.map((deliveryId) => ({ id: uuidv7(), kind: DELIVER_JOB_KIND, payload: { organizationId, deliveryId }, maxAttempts: DELIVERY_MAX_ATTEMPTS })),
  );
}

export async function insertRedelivery(tx: Tx, organizationId: string, original: DeliveryRow): Promise<DeliveryRow> {
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({ organizationId, id: uuidv7(), subscriptionId: original.subscriptionId, event: original.event, body: original.body, redeliveryOfId: original.id })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Newest first; the cursor is the last delivery's id (ids are random: the order is by time). */
export async function listDeliveries(tx: Tx, organizationId: string, subscriptionId: string, page: { beforeId: string | null; limit: number }): Promise<DeliveryRow[]> {
  const before = page.beforeId
    ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (select d.created_at, d.id from webhook_deliveries d where d.organization_id = ${organizationId} and d.id = ${page.beforeId})`
    : undefined;
  return tx
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.subscriptionId, subscriptionId), before))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(page.limit + 1);
}

export async function findDelivery(tx: Tx, organizationId: string, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await tx
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.id, id)));
  return row;
}

export async function updateDelivery(tx: Tx, organizationId: string, id: string, changes: DeliveryChanges): Promise<void> {
  await tx.update(webhookDeliveries).set(changes).where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.id, id)));
}

/** Owners' and admins' addresses, told when a URL is disabled. */
export async function adminEmails(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await tx
    .select({ email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), sql`${members.role} in ('owner', 'admin')`));
  return rows.map((row) => row.email);
}
