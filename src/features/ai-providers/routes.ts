import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { AiProvider, AiProviderListQuery, AiProviderPage, CreateAiProviderBody, UpdateAiProviderBody } from './schemas.js';
import * as service from './service.js';

const tags = ['ai-providers'];
const base = '/orgs/{orgId}/ai-providers';

const list = createRoute({
  method: 'get', path: base, tags, summary: 'List AI providers (API keys are never returned, only a hint)',
  request: { params: OrgParams, query: AiProviderListQuery },
  responses: { 200: json(AiProviderPage, 'A page of AI providers'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: base, tags, summary: 'Add an AI provider (admins; the plan must include ai_assistant)',
  request: { params: OrgParams, body: jsonBody(CreateAiProviderBody) },
  responses: { 201: json(AiProvider, 'The new provider'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: 'Get an AI provider',
  request: { params: OrgResourceParams },
  responses: { 200: json(AiProvider, 'The provider'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{id}`, tags, summary: 'Change an AI provider or replace its API key (admins)',
  request: { params: OrgResourceParams, body: jsonBody(UpdateAiProviderBody) },
  responses: { 200: json(AiProvider, 'The changed provider'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: 'Delete an AI provider and its key (admins)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function aiProviderRoutes({ db, masterKey, outbound }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  const deps = { masterKey, allowPrivate: outbound.allowPrivate };
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listAiProviders(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createAiProvider(call(c), deps, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getAiProvider(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateAiProvider(call(c), deps, c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteAiProvider(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
