import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { CreateTemplateBody, Template, TemplateListQuery, TemplatePage, UpdateTemplateBody } from './schemas.js';
import * as service from './service.js';

const tags = ['templates'];
const base = '/orgs/{orgId}/templates';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List the organization's templates and the public ones",
  request: { params: OrgParams, query: TemplateListQuery },
  responses: { 200: json(TemplatePage, 'A page of templates'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: base, tags, summary: 'Create a template for the organization (members and up)',
  request: { params: OrgParams, body: jsonBody(CreateTemplateBody) },
  responses: { 201: json(Template, 'The new template'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: "Get one of the organization's templates or a public one",
  request: { params: OrgResourceParams },
  responses: { 200: json(Template, 'The template'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{id}`, tags, summary: "Change one of the organization's templates (public ones are read-only: 403)",
  request: { params: OrgResourceParams, body: jsonBody(UpdateTemplateBody) },
  responses: { 200: json(Template, 'The changed template'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: "Delete one of the organization's templates (public ones are read-only: 403)",
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function templateRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listTemplates(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createTemplate(call(c), c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getTemplate(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateTemplate(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteTemplate(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
