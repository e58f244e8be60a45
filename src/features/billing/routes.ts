import { createRoute } from '@hono/zod-openapi';
import { OrgParams, errorResponse, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { NO_BILLING } from './config.js';
import { BillingRedirect, CheckoutBody, WebhookReceipt } from './schemas.js';
import * as service from './service.js';

const tags = ['billing'];

// Public, and the body is read raw: the signature covers its exact bytes, so no JSON schema
// parses it first.
const webhook = createRoute({
  method: 'post', path: '/billing/stripe/webhook', tags, security: [],
  summary: 'Stripe events (every billing mode): verified by the Stripe-Signature header, recorded and processed once each',
  responses: {
    200: json(WebhookReceipt, 'Recorded (and applied, for subscription events)'),
    400: errorResponse('No signature, or one that does not verify with STRIPE_WEBHOOK_SECRET: nothing was written'),
    503: errorResponse('Stripe could not be reached to read the subscription: nothing was written, and Stripe retries'),
  },
});
const checkout = createRoute({
  method: 'post', path: '/orgs/{orgId}/billing/checkout', tags,
  summary: 'Subscribe through Stripe Checkout, or upgrade a Stripe subscription in place (owners; BILLING_MODE=stripe)',
  request: { params: OrgParams, body: jsonBody(CheckoutBody) },
  responses: { 200: json(BillingRedirect, "Checkout's URL, or null when the subscription changed in place"), ...tenantErrorResponses },
});
const portal = createRoute({
  method: 'post', path: '/orgs/{orgId}/billing/portal', tags,
  summary: "Open Stripe's Customer Portal for the organization (owners; BILLING_MODE=stripe)",
  request: { params: OrgParams },
  responses: { 200: json(BillingRedirect, "The Portal session's URL"), ...tenantErrorResponses },
});

export function billingRoutes({ db, billing = NO_BILLING }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(webhook, async (c) =>
      c.json(await service.receiveStripeEvent(db, billing, await c.req.text(), c.req.header('stripe-signature'), c.var.requestId), 200))
    .openapi(checkout, async (c) => c.json(await service.startCheckout(call(c), billing, c.req.valid('json')), 200))
    .openapi(portal, async (c) => c.json(await service.openPortal(call(c), billing), 200));
}
