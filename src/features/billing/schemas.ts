import { z } from '@hono/zod-openapi';

export const CheckoutBody = z
  .strictObject({
    /** A plan's `code` from `GET /api/v1/plans`; it needs a Stripe price. */
    plan: z.string().trim().min(1).max(64),
  })
  .openapi('StartCheckout');

export const BillingRedirect = z
  .object({
    /** Where to send the owner (Stripe's page); null when the subscription changed in place. */
    url: z.url().nullable(),
  })
  .openapi('BillingRedirect');

export const WebhookReceipt = z
  .object({
    received: z.literal(true),
    /** True when this event id was received before; it was not processed again. */
    duplicate: z.boolean(),
  })
  .openapi('StripeWebhookReceipt');
