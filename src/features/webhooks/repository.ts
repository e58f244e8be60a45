import { type Placeholder, type SQL, and, desc, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { jobs, members, users, webhookDeliveries, webhookOutbox, webhookSubscriptions } from '../../db/schema/index.js';
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

/** The channel a recorded event is announced on: its organization's id, delivered on commit. */
export const WEBHOOK_CHANNEL = 'tenantry_webhook_events';

/**
 * NOTIFYs `WEBHOOK_CHANNEL` with the organization when `recorded` has rows (PostgreSQL sends it
 * on commit, once per transaction, channel and payload), so that a dispatcher listening wakes
 * for it (dispatcher.ts). In the statement's top-level SELECT, not in the insert's RETURNING:
 * Citus runs this part on the coordinator, where the dispatchers listen, and the insert on the
 * organization's shard; a NOTIFY on the worker would be heard by no one there and makes the
 * transaction's two-phase commit fail ("cannot PREPARE a transaction that has executed
 * NOTIFY"). As text: Citus refuses to move a `void` value between nodes.
 */
const notified = sql`(select pg_notify(${WEBHOOK_CHANNEL}, r.organization_id::text)::text from recorded r limit 1) as notified`;

/**
 * Records `event` for the dispatcher (dispatcher.ts), one row per body and active subscriber to
 * it, in the caller's transaction and in one statement. With no subscriber this is one indexed
 * read that writes nothing.
 */
export async function recordEvents(tx: Tx, organizationId: string, event: WebhookEvent, bodies: string[]): Promise<void> {
  if (bodies.length === 0) return;
  await tx.execute(sql`${recordingCtes(organizationId, event, sql`select unnest(${sql.param(bodies)}::text[]) as body`)} select ${notified}`);
}

/**
 * One statement that answers `source`'s rows and records `event` for each active subscriber
 * with each row's last column, `body` (null: nothing to record): for a write that reads the
 * object it changed for its answer and records it in the same read, such as the one-trip
 * task writes. `source` builds its body `whenSubscribed`, so that with no one listening it builds
 * none; its rows come back in full, `body` included, then a column `notified`.
 *
 * The insert is a data-modifying CTE, its organization from the subscriptions' rows: the shape
 * Citus runs on the organization's shard. As the top-level statement Citus pulls its SELECT to
 * the coordinator and COPies the rows in, which RLS refuses.
 */
export function recordEventsFromSql(organizationId: string | Placeholder, event: WebhookEvent | Placeholder, source: SQL): SQL {
  return sql`${recordingCtes(organizationId, event, source)} select source.*, ${notified} from source`;
}

/** `body` when the event has an active subscriber, else null: for the source of `recordEventsFromSql` only. */
export function whenSubscribed(body: SQL): SQL {
  return sql`case when exists (select from subscribers) then ${body} end`;
}

/**
 * The CTEs that record `event` with each body of `source` (a query whose last column is
 * `body`): `subscribers`, `source`, and `recorded`, the organization of each row recorded.
 */
function recordingCtes(organizationId: string | Placeholder, event: WebhookEvent | Placeholder, source: SQL): SQL {
  return sql`
    with subscribers as (
      select s.organization_id, s.id from ${webhookSubscriptions} s
       where s.organization_id = ${organizationId} and s.status = 'active' and ${event}::text = any(s.events)
    ), source as (${source}), recorded as (
      insert into ${webhookOutbox} (organization_id, subscription_id, event, body)
      select s.organization_id, s.id, ${event}::text, source.body
        from subscribers s cross join source where source.body is not null
      returning organization_id
    )`;
}

export type PendingEvent = { id: string; event: WebhookEvent; subscriptionId: string; body: string; createdAt: Date };

/** Organizations with events waiting for their fan-out (platform work: spans tenants). */
export async function organizationsWithPendingEvents(tx: Tx, limit: number): Promise<string[]> {
  const rows = await tx.selectDistinct({ organizationId: webhookOutbox.organizationId }).from(webhookOutbox).limit(limit);
  return rows.map((row) => row.organizationId);
}

/**
 * Takes up to `limit` of the organization's pending events, oldest first, skipping those another
 * dispatcher holds; they stay held until the caller's transaction ends. One organization per
 * claim: on Citus a locking read must stay on one shard.
 */
export async function claimPendingEvents(tx: Tx, organizationId: string, limit: number): Promise<PendingEvent[]> {
  return tx
    .select({ id: webhookOutbox.id, event: webhookOutbox.event, subscriptionId: webhookOutbox.subscriptionId, body: webhookOutbox.body, createdAt: webhookOutbox.createdAt })
    .from(webhookOutbox)
    .where(eq(webhookOutbox.organizationId, organizationId))
    .orderBy(webhookOutbox.createdAt, webhookOutbox.id)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * The deliveries of claimed events, one per event whose subscription still exists, each with its
 * job, then the events are gone: in the caller's transaction, so a fan-out is all or nothing. A
 * delivery's time is its event's (the change's), which orders the log. Plain multi-row inserts,
 * off the request path, where a round trip more costs nobody.
 */
export async function fanOutEvents(tx: Tx, organizationId: string, events: PendingEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const existing = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.organizationId, organizationId), inArray(webhookSubscriptions.id, [...new Set(events.map((e) => e.subscriptionId))])));
  const live = new Set(existing.map((row) => row.id));
  const deliveries = events
    .filter((e) => live.has(e.subscriptionId))
    .map((e) => ({ organizationId, id: uuidv7(), subscriptionId: e.subscriptionId, event: e.event, body: e.body, createdAt: e.createdAt }));
  if (deliveries.length > 0) {
    await tx.insert(webhookDeliveries).values(deliveries);
    await queueDeliveryJobs(tx, organizationId, deliveries.map((delivery) => delivery.id));
  }
  await tx.delete(webhookOutbox).where(and(eq(webhookOutbox.organizationId, organizationId), inArray(webhookOutbox.id, events.map((e) => e.id))));
  return deliveries.length;
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
