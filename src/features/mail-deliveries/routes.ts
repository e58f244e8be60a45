import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { MailDeliveryListQuery, MailDeliveryPage } from './schemas.js';
import * as service from './service.js';

const list = createRoute({
  method: 'get', path: '/orgs/{orgId}/mail-deliveries', tags: ['mail'],
  summary: "The organization's outgoing mail, newest first: queued, sending, retrying, sent or failed (admins)",
  request: { params: OrgParams, query: MailDeliveryListQuery },
  responses: { 200: json(MailDeliveryPage, 'A page of mail deliveries'), ...tenantErrorResponses },
});

export function mailDeliveryRoutes({ db }: RouterDeps) {
  return newRouter().openapi(list, async (c) => {
    const page = await service.listMailDeliveries(callerOf(db, c), c.req.valid('query'));
    return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
  });
}
