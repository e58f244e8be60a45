import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { CreateEpicBody, Epic, EpicListQuery, EpicPage, ProjectParams, UpdateEpicBody } from './schemas.js';
import * as service from './service.js';

const tags = ['epics'];
const inProject = '/orgs/{orgId}/projects/{projectId}/epics';
const byId = '/orgs/{orgId}/epics/{id}';

const list = createRoute({
  method: 'get', path: inProject, tags, summary: 'List a project\'s epics',
  request: { params: ProjectParams, query: EpicListQuery },
  responses: { 200: json(EpicPage, 'A page of epics'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: inProject, tags, summary: 'Create an epic (members and up)',
  request: { params: ProjectParams, body: jsonBody(CreateEpicBody) },
  responses: { 201: json(Epic, 'The new epic'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: byId, tags, summary: 'Get an epic',
  request: { params: OrgResourceParams },
  responses: { 200: json(Epic, 'The epic'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: byId, tags, summary: 'Change an epic',
  request: { params: OrgResourceParams, body: jsonBody(UpdateEpicBody) },
  responses: { 200: json(Epic, 'The changed epic'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: byId, tags, summary: 'Delete an epic (soft delete; its tasks stay, without the epic)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function epicRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listEpics(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createEpic(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getEpic(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateEpic(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteEpic(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
