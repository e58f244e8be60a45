import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import {
  CreateWebhookBody,
  RedeliverBody,
  CreatedWebhookSubscription,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookListQuery,
  WebhookPage,
  WebhookSubscription,
} from './schemas.js';
import * as service from './service.js';

const tags = ['webhooks'];
const base = '/orgs/{orgId}/webhooks';

const list = createRoute({
  method: 'get', path: base, tags, summary: 'List webhook subscriptions (admins; secrets are never returned)',
  request: { params: OrgParams, query: WebhookListQuery },
  responses: { 200: json(WebhookPage, 'A page of subscriptions'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: base, tags, summary: 'Subscribe a URL to events (admins); the answer shows the signing secret, once',
  request: { params: OrgParams, body: jsonBody(CreateWebhookBody) },
  responses: { 201: json(CreatedWebhookSubscription, 'The new subscription and its secret'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: 'Get a webhook subscription (admins)',
  request: { params: OrgResourceParams },
  responses: { 200: json(WebhookSubscription, 'The subscription'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{id}`, tags, summary: 'Change a subscription, or turn it off or back on (admins)',
  request: { params: OrgResourceParams, body: jsonBody(UpdateWebhookBody) },
  responses: { 200: json(WebhookSubscription, 'The changed subscription'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: 'Delete a subscription and its delivery log (admins)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});
const deliveries = createRoute({
  method: 'get', path: `${base}/{id}/deliveries`, tags, summary: "A subscription's delivery log, newest first (admins)",
  request: { params: OrgResourceParams, query: WebhookListQuery },
  responses: { 200: json(WebhookDeliveryPage, 'A page of deliveries'), ...tenantErrorResponses },
});
const redeliver = createRoute({
  method: 'post', path: `${base}/{id}/deliveries`, tags,
  summary: 'Redeliver: send a logged delivery again, as a new delivery with the same body (admins)',
  request: { params: OrgResourceParams, body: jsonBody(RedeliverBody) },
  responses: { 201: json(WebhookDelivery, 'The new delivery, queued'), ...tenantErrorResponses },
});

export function webhookRoutes({ db, masterKey }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listWebhooks(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createWebhook(call(c), masterKey, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getWebhook(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) => c.json(serialize(await service.updateWebhook(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteWebhook(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(deliveries, async (c) => {
      const page = await service.listDeliveries(call(c), c.req.valid('param').id, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(redeliver, async (c) =>
      c.json(serialize(await service.redeliver(call(c), c.req.valid('param').id, c.req.valid('json').redeliveryOfId)), 201));
}
