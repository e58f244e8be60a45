import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { NO_BILLING } from '../billing/config.js';
import { ChangePlanBody, Subscription, Usage } from './schemas.js';
import * as service from './service.js';

const tags = ['subscription'];

const get = createRoute({
  method: 'get', path: '/orgs/{orgId}/subscription', tags, summary: "The organization's plan, status and billing periods (any member)",
  request: { params: OrgParams },
  responses: { 200: json(Subscription, 'The current subscription'), ...tenantErrorResponses },
});
const usage = createRoute({
  method: 'get', path: '/orgs/{orgId}/usage', tags,
  summary: 'Members, projects, tasks, storage and AI tokens this month, each against the plan limit (any member)',
  request: { params: OrgParams },
  responses: { 200: json(Usage, 'Usage against the plan'), ...tenantErrorResponses },
});

const change = createRoute({
  method: 'post', path: '/orgs/{orgId}/subscription/change', tags,
  summary:
    'Move to another plan free of charge (owners; BILLING_MODE=none): at once, refused with the caps a smaller plan would break, or at the end of the period whatever the usage',
  request: { params: OrgParams, body: jsonBody(ChangePlanBody) },
  responses: { 200: json(Subscription, 'The subscription on its new plan'), ...tenantErrorResponses },
});

const cancelScheduled = createRoute({
  method: 'delete', path: '/orgs/{orgId}/subscription/scheduled-change', tags,
  summary: 'Drop the plan change waiting for the end of the period (owners)',
  request: { params: OrgParams },
  responses: { 200: json(Subscription, 'The subscription, with no scheduled change'), ...tenantErrorResponses },
});

export function subscriptionRoutes({ db, billing = NO_BILLING }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(get, async (c) => c.json(serialize(await service.getSubscription(call(c), billing)), 200))
    .openapi(usage, async (c) => c.json(await service.getUsage(call(c)), 200))
    .openapi(change, async (c) => c.json(serialize(await service.changePlan(call(c), billing, c.req.valid('json'))), 200))
    .openapi(cancelScheduled, async (c) => c.json(serialize(await service.cancelScheduledChange(call(c), billing)), 200));
}
