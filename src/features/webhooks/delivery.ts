/**
 * Sends queued webhook deliveries (the `webhook.deliver` job): signs the exact body with the
 * subscription's secret, posts it through the outbound guard, and records the outcome in the
 * delivery log. A failure is retried by the queue with its backoff; a subscription whose
 * deliveries have failed for a day is disabled and its admins are mailed.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { decryptSecret } from '../../crypto/envelope.js';
import { organizationDataKey } from '../../crypto/tenant-data-key.js';
import type { Database } from '../../db/connection.js';
import { withTenant } from '../../db/tenant-context.js';
import type { Tx } from '../../db/tenant-context.js';
import { type JobContext, type JobHandler, PermanentJobError } from '../../jobs/queue.js';
import { sendMail } from '../../mail/send.js';
import { renderContent } from '../../mail/templates.js';
import type { OutboundFetch } from '../../net/outbound-guard.js';
import { planFeature } from '../plans/features.js';
import { type WebhookDispatcher, dispatchWebhookEvents } from './dispatcher.js';
import * as repository from './repository.js';
import { secretContext } from './service.js';

/** A URL failing this long is disabled. */
export const DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;
/** How long one attempt waits for the receiver. */
const TIMEOUT_MS = 10_000;
const SYSTEM = 'system:webhooks';

const DeliveryPayload = z.object({ organizationId: z.uuid(), deliveryId: z.uuid() });
type DeliveryPayload = z.infer<typeof DeliveryPayload>;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the X-Tenantry-Signature header. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export type DeliveryOptions = {
  db: Database;
  masterKey: Buffer;
  send: OutboundFetch;
  /** The public origin, for the link in the mail to admins. */
  baseUrl: string;
  /** The clock that measures a day of failures; tests move it. */
  now?: () => Date;
  /**
   * The process's dispatcher, which fans out only what it heard of (and everything once per
   * fallback period); without one, each pass of the worker looks at every organization.
   */
  dispatcher?: WebhookDispatcher;
};

export function webhookJobHandler(options: DeliveryOptions): JobHandler<DeliveryPayload> {
  return {
    kind: repository.DELIVER_JOB_KIND,
    payload: DeliveryPayload,
    run: (payload, ctx) => deliver(options, payload, ctx),
    feed: () => (options.dispatcher ? options.dispatcher.dispatch() : dispatchWebhookEvents(options.db)),
  };
}

async function deliver(options: DeliveryOptions, { organizationId, deliveryId }: DeliveryPayload, ctx: JobContext): Promise<void> {
  const now = options.now ?? (() => new Date());
  const context = { organizationId, requestId: SYSTEM };
  const prepared = await withTenant(options.db, context, async (tx) => {
    const delivery = await repository.findDelivery(tx, organizationId, deliveryId);
    const subscription = delivery && (await repository.findSubscriptionForDelivery(tx, organizationId, delivery.subscriptionId));
    if (!delivery || !subscription) return null;
    if (subscription.status !== 'active') {
      await repository.updateDelivery(tx, organizationId, deliveryId, { status: 'failed', lastError: 'the subscription is disabled' });
      return null;
    }
    // Checked when sending, not when queuing, so the write path pays nothing for it; the
    // log keeps what was held back, and after an upgrade it can be redelivered.
    const { plan, included } = await planFeature(tx, organizationId, 'integrations');
    if (!included) {
      const lastError = `not sent: ${plan ? `the ${plan.code} plan` : 'the plan'} does not include integrations`;
      await repository.updateDelivery(tx, organizationId, deliveryId, { status: 'failed', lastError });
      return null;
    }
    const dataKey = await organizationDataKey(tx, organizationId, options.masterKey);
    const secret = decryptSecret(dataKey, Buffer.from(subscription.secretCiphertext), secretContext(organizationId, subscription.id));
    return { delivery, subscription, secret };
  });
  if (!prepared) throw new PermanentJobError('the delivery or its subscription is gone or disabled, or the plan excludes integrations');
  const { delivery, subscription, secret } = prepared;

  await ctx.markSending();
  const attempt = await post(options.send, subscription.url, delivery, secret);

  const failure = await withTenant(options.db, context, async (tx) => {
    if (attempt.ok) {
      await repository.updateDelivery(tx, organizationId, deliveryId, {
        status: 'succeeded', attempts: delivery.attempts + 1, responseStatus: attempt.status, lastError: null, deliveredAt: now(),
      });
      await repository.updateSubscription(tx, organizationId, subscription.id, { failingSince: null });
      return null;
    }
    const failingSince = subscription.failingSince ?? now();
    const failedForADay = now().getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
    const last = failedForADay || ctx.attempt >= ctx.maxAttempts;
    await repository.updateDelivery(tx, organizationId, deliveryId, {
      status: last ? 'failed' : 'pending', attempts: delivery.attempts + 1, responseStatus: attempt.status, lastError: attempt.error,
    });
    if (failedForADay) {
      await disable(tx, options.baseUrl, subscription, attempt.error);
      return new PermanentJobError(`disabled after a day of failures: ${attempt.error}`);
    }
    if (!subscription.failingSince) await repository.updateSubscription(tx, organizationId, subscription.id, { failingSince });
    return new Error(attempt.error);
  });
  if (failure) throw failure;
}

type Attempt = { ok: boolean; status: number | null; error: string };

async function post(send: OutboundFetch, url: string, delivery: repository.DeliveryRow, secret: string): Promise<Attempt> {
  try {
    const response = await send(url, {
      method: 'POST',
      body: delivery.body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tenantry-Webhooks',
        'x-tenantry-event': delivery.event,
        'x-tenantry-delivery': delivery.id,
        'x-tenantry-signature': signatureOf(secret, delivery.body),
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // Only the status matters; the body is read so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? '' : `the receiver answered ${response.status}` };
  } catch (error) {
    return { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
  }
}

async function disable(tx: Tx, baseUrl: string, subscription: repository.SubscriptionView, error: string): Promise<void> {
  const { organizationId } = subscription;
  const reason = `disabled after failing for a day; last error: ${error}`.slice(0, 2000);
  await repository.updateSubscription(tx, organizationId, subscription.id, { status: 'disabled', disabledReason: reason });
  const link = `${baseUrl.replace(/\/$/, '')}/`;
  for (const to of await repository.adminEmails(tx, organizationId)) {
    await sendMail(tx, {
      to,
      template: 'webhook-disabled',
      organizationId,
      ...renderContent({
        subject: 'A webhook was disabled after failing for a day',
        paragraphs: [
          `Deliveries to ${subscription.url} have failed for 24 hours, so the subscription was disabled and nothing more is sent to it.`,
          `Last error: ${error}`,
          'Fix the receiver, then turn the subscription back on under Settings, Webhooks; failed deliveries can be sent again from its delivery log.',
        ],
        action: { label: 'Open Tenantry', url: link },
      }),
    });
  }
}
