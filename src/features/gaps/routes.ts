import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { CreateGapBody, Gap, GapListQuery, GapPage, ProjectParams, UpdateGapBody } from './schemas.js';
import * as service from './service.js';

const tags = ['gaps'];
const inProject = '/orgs/{orgId}/projects/{projectId}/gaps';
const byId = '/orgs/{orgId}/gaps/{id}';

const list = createRoute({
  method: 'get', path: inProject, tags, summary: "List a project's gaps",
  request: { params: ProjectParams, query: GapListQuery },
  responses: { 200: json(GapPage, 'A page of gaps'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: inProject, tags, summary: 'Record a gap with its root-cause analysis (members and up)',
  request: { params: ProjectParams, body: jsonBody(CreateGapBody) },
  responses: { 201: json(Gap, 'The new gap'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: byId, tags, summary: 'Get a gap',
  request: { params: OrgResourceParams },
  responses: { 200: json(Gap, 'The gap'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: byId, tags, summary: 'Change a gap or move its status (resolving stamps resolvedAt)',
  request: { params: OrgResourceParams, body: jsonBody(UpdateGapBody) },
  responses: { 200: json(Gap, 'The changed gap'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: byId, tags, summary: 'Delete a gap (soft delete)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function gapRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listGaps(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createGap(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getGap(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) => c.json(serialize(await service.updateGap(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteGap(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
