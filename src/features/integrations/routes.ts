import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { CreateIntegrationBody, Integration, IntegrationListQuery, IntegrationPage, UpdateIntegrationBody } from './schemas.js';
import * as service from './service.js';

const tags = ['integrations'];
const base = '/orgs/{orgId}/integrations';

const list = createRoute({
  method: 'get', path: base, tags, summary: 'List integrations (credentials are never returned)',
  request: { params: OrgParams, query: IntegrationListQuery },
  responses: { 200: json(IntegrationPage, 'A page of integrations'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: base, tags, summary: 'Connect an integration (admins; the plan must include integrations)',
  request: { params: OrgParams, body: jsonBody(CreateIntegrationBody) },
  responses: { 201: json(Integration, 'The new integration'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: 'Get an integration',
  request: { params: OrgResourceParams },
  responses: { 200: json(Integration, 'The integration'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{id}`, tags, summary: 'Change an integration, its status or its credentials (admins)',
  request: { params: OrgResourceParams, body: jsonBody(UpdateIntegrationBody) },
  responses: { 200: json(Integration, 'The changed integration'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: 'Delete an integration and its credentials (admins)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function integrationRoutes({ db, masterKey }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listIntegrations(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createIntegration(call(c), masterKey, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getIntegration(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateIntegration(call(c), masterKey, c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteIntegration(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
