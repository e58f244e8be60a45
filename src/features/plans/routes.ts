import { createRoute } from '@hono/zod-openapi';
import { json } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { FeatureList, PlanList } from './schemas.js';
import * as service from './service.js';

const tags = ['plans'];

// Public: no session needed. The catalogue is a handful of rows, so it comes whole, not paged.
const plans = createRoute({
  method: 'get', path: '/plans', tags, summary: 'List the plans on sale, with their limits and features', security: [],
  responses: { 200: json(PlanList, 'Every active plan, cheapest first') },
});
const features = createRoute({
  method: 'get', path: '/features', tags, summary: 'List the features plans can include', security: [],
  responses: { 200: json(FeatureList, 'Every feature, with the plans that include it') },
});

export function planRoutes({ db }: RouterDeps) {
  return newRouter()
    .openapi(plans, async (c) => c.json({ items: await service.listPlans(db, c.var.requestId) }, 200))
    .openapi(features, async (c) => c.json({ items: await service.listFeatures(db, c.var.requestId) }, 200));
}
