import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { AiGeneration, AiGenerationListQuery, AiGenerationPage, AiUsage, AiUsageQuery, CreateAiGenerationBody } from './schemas.js';
import * as service from './service.js';

const tags = ['ai-generations'];
const base = '/orgs/{orgId}/ai-generations';

const list = createRoute({
  method: 'get', path: base, tags, summary: 'List recorded AI generations',
  request: { params: OrgParams, query: AiGenerationListQuery },
  responses: { 200: json(AiGenerationPage, 'A page of generations'), ...tenantErrorResponses },
});
const record = createRoute({
  method: 'post', path: base, tags, summary: 'Record an AI generation with its tokens and cost (members and up)',
  request: { params: OrgParams, body: jsonBody(CreateAiGenerationBody) },
  responses: { 201: json(AiGeneration, 'The recorded generation'), ...tenantErrorResponses },
});
const usage = createRoute({
  method: 'get', path: `${base}/usage`, tags, summary: 'Tokens and cost by month, provider and model',
  request: { params: OrgParams, query: AiUsageQuery },
  responses: { 200: json(AiUsage, 'The usage summary'), ...tenantErrorResponses },
});

export function aiGenerationRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(usage, async (c) => c.json(await service.usageSummary(call(c), c.req.valid('query')), 200))
    .openapi(list, async (c) => {
      const page = await service.listAiGenerations(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(record, async (c) => c.json(serialize(await service.recordAiGeneration(call(c), c.req.valid('json'))), 201));
}
