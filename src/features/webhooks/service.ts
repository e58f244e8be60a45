import { randomBytes } from 'node:crypto';
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { encryptSecret } from '../../crypto/envelope.js';
import { organizationDataKey } from '../../crypto/tenant-data-key.js';
import type { WebhookEvent } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertFeature } from '../plans/features.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateWebhookInput, UpdateWebhookInput } from './schemas.js';

/** The AAD that pins a sealed signing secret to its organization and subscription. */
export const secretContext = (organizationId: string, id: string) => `webhooks:${organizationId}:${id}`;

/**
 * Records `event` about each of `objects` for every active subscription to it, in the
 * transaction of the change: the dispatcher (dispatcher.ts) makes its deliveries exactly when
 * the change committed, and the request never waits for a receiver nor queues jobs.
 * Each object is the changed thing as the API shows it, as it is now.
 *
 * @example
 * await announceWebhookEvent(tx, organizationId, 'task.created', createdTasks);
 */
export async function announceWebhookEvent(tx: Tx, organizationId: string, event: WebhookEvent, objects: object[]): Promise<void> {
  const occurredAt = new Date().toISOString();
  const bodies = objects.map((data) => JSON.stringify({ event, organizationId, occurredAt, data }));
  await repository.recordEvents(tx, organizationId, event, bodies);
}

/**
 * A delivery's body as `announceWebhookEvent` writes it (the same keys, in order), built by
 * the database around `data`, a JSON value of the row just written (db/statement.ts,
 * jsonObjectOf), for a write that queues its deliveries in the same round trip.
 */
export function webhookBodySql(event: WebhookEvent | Placeholder, organizationId: string | Placeholder, occurredAt: string | Placeholder, data: SQL): SQL {
  return sql`json_build_object('event', ${event}::text, 'organizationId', ${organizationId}::uuid, 'occurredAt', ${occurredAt}::text, 'data', ${data})::text`;
}

export async function listWebhooks(call: ServiceCall, query: { cursor?: string | undefined; limit: number }) {
  requirePermission(call, 'integrations:manage');
  const afterId = decodeCursor(query.cursor);
  const rows = await inTenant(call, (tx) => repository.listSubscriptions(tx, call.scope.organizationId, { afterId, limit: query.limit }));
  return toPage(rows, query.limit);
}

export async function getWebhook(call: ServiceCall, id: string) {
  requirePermission(call, 'integrations:manage');
  return found(await inTenant(call, (tx) => repository.findSubscription(tx, call.scope.organizationId, id)), 'webhook');
}

/** Admins, on a plan with `integrations`; the secret is sealed at rest and answered only here, once. */
export async function createWebhook(call: ServiceCall, masterKey: Buffer, input: CreateWebhookInput) {
  requirePermission(call, 'integrations:manage');
  const { organizationId, userId } = call.scope;
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  const subscription = await inTenant(call, async (tx) => {
    await assertFeature(tx, organizationId, 'integrations');
    const id = uuidv7();
    const dataKey = await organizationDataKey(tx, organizationId, masterKey);
    const secretCiphertext = encryptSecret(dataKey, secret, secretContext(organizationId, id));
    return repository.insertSubscription(tx, organizationId, { id, url: input.url, events: input.events, secretCiphertext, createdById: userId });
  });
  return { ...subscription, secret };
}

/**
 * Turning a disabled subscription back on needs the plan's `integrations` and forgets its
 * failures: it gets a fresh day. Other changes (a new URL, turning it off) are not gated, so
 * an organization that downgraded can still tidy up.
 */
export async function updateWebhook(call: ServiceCall, id: string, input: UpdateWebhookInput) {
  requirePermission(call, 'integrations:manage');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const current = found(await repository.findSubscription(tx, organizationId, id), 'webhook');
    if (Object.keys(input).length === 0) return current;
    const enabling = input.status === 'active' && current.status === 'disabled';
    if (enabling) await assertFeature(tx, organizationId, 'integrations');
    const reenabled = enabling ? { failingSince: null, disabledReason: null } : {};
    return found(await repository.updateSubscription(tx, organizationId, id, { ...input, ...reenabled }), 'webhook');
  });
}

export async function deleteWebhook(call: ServiceCall, id: string) {
  requirePermission(call, 'integrations:manage');
  const deleted = await inTenant(call, (tx) => repository.deleteSubscription(tx, call.scope.organizationId, id));
  if (!deleted) throw new TenantryError('not_found', 'webhook not found');
}

/** Newest first. */
export async function listDeliveries(call: ServiceCall, subscriptionId: string, query: { cursor?: string | undefined; limit: number }) {
  requirePermission(call, 'integrations:manage');
  const { organizationId } = call.scope;
  const beforeId = decodeCursor(query.cursor);
  const rows = await inTenant(call, async (tx) => {
    found(await repository.findSubscription(tx, organizationId, subscriptionId), 'webhook');
    return repository.listDeliveries(tx, organizationId, subscriptionId, { beforeId, limit: query.limit });
  });
  return toPage(rows, query.limit);
}

async function deliveryOf(tx: Tx, organizationId: string, subscriptionId: string, deliveryId: string) {
  const delivery = await repository.findDelivery(tx, organizationId, deliveryId);
  return found(delivery?.subscriptionId === subscriptionId ? delivery : undefined, 'delivery');
}

/** The same body, signed again and sent as a new delivery (its own log row and retries). */
export async function redeliver(call: ServiceCall, subscriptionId: string, deliveryId: string) {
  requirePermission(call, 'integrations:manage');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const original = await deliveryOf(tx, organizationId, subscriptionId, deliveryId);
    const copy = await repository.insertRedelivery(tx, organizationId, original);
    await repository.queueDeliveryJobs(tx, organizationId, [copy.id]);
    return copy;
  });
}
