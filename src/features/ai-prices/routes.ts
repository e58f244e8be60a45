import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { AiModelPrice, AiModelPriceListQuery, AiModelPricePage, SetAiModelPriceBody } from './schemas.js';
import * as service from './service.js';

const tags = ['ai-prices'];
const base = '/orgs/{orgId}/ai/prices';

const list = createRoute({
  method: 'get', path: base, tags, summary: "The price table: each model's current price per million tokens, or every version with history=true",
  request: { params: OrgParams, query: AiModelPriceListQuery },
  responses: { 200: json(AiModelPricePage, 'A page of prices'), ...tenantErrorResponses },
});
const set = createRoute({
  method: 'post', path: base, tags, summary: "Set a model's price: adds its next version (admins)",
  request: { params: OrgParams, body: jsonBody(SetAiModelPriceBody) },
  responses: { 201: json(AiModelPrice, 'The new price version'), ...tenantErrorResponses },
});

/** A price version never changes, so only its creation time is shown. */
const shown = (row: Awaited<ReturnType<typeof service.setPrice>>) => {
  const { id, organizationId, kind, model, version, inputPerMillion, outputPerMillion, createdById, createdAt } = serialize(row);
  return { id, organizationId, kind, model, version, inputPerMillion, outputPerMillion, createdById, createdAt };
};

export function aiPriceRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listPrices(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(shown), nextCursor: page.nextCursor }, 200);
    })
    .openapi(set, async (c) => c.json(shown(await service.setPrice(call(c), c.req.valid('json'))), 201));
}
