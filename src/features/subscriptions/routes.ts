import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { Subscription, Usage } from './schemas.js';
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

export function subscriptionRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(get, async (c) => c.json(serialize(await service.getSubscription(call(c))), 200))
    .openapi(usage, async (c) => c.json(await service.getUsage(call(c)), 200));
}
