import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { CompleteSprintBody, CompletedSprint, CreateSprintBody, ProjectParams, Sprint, SprintListQuery, SprintPage, UpdateSprintBody } from './schemas.js';
import * as service from './service.js';

const tags = ['sprints'];
const inProject = '/orgs/{orgId}/projects/{projectId}/sprints';
const byId = '/orgs/{orgId}/sprints/{id}';

const list = createRoute({
  method: 'get', path: inProject, tags, summary: 'List a project\'s sprints',
  request: { params: ProjectParams, query: SprintListQuery },
  responses: { 200: json(SprintPage, 'A page of sprints'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: inProject, tags, summary: 'Create a sprint, in planning (members and up)',
  request: { params: ProjectParams, body: jsonBody(CreateSprintBody) },
  responses: { 201: json(Sprint, 'The new sprint'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: byId, tags, summary: 'Get a sprint',
  request: { params: OrgResourceParams },
  responses: { 200: json(Sprint, 'The sprint'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: byId, tags, summary: 'Change a sprint\'s name, goal or dates',
  request: { params: OrgResourceParams, body: jsonBody(UpdateSprintBody) },
  responses: { 200: json(Sprint, 'The changed sprint'), ...tenantErrorResponses },
});
const start = createRoute({
  method: 'post', path: `${byId}/start`, tags, summary: 'Start a planning sprint (409 if another is active)',
  request: { params: OrgResourceParams },
  responses: { 200: json(Sprint, 'The active sprint'), ...tenantErrorResponses },
});
const complete = createRoute({
  method: 'post', path: `${byId}/complete`, tags,
  summary: 'Complete the active sprint, recording its velocity and moving its unfinished tasks to another sprint or the backlog',
  request: { params: OrgResourceParams, body: jsonBody(CompleteSprintBody) },
  responses: { 200: json(CompletedSprint, 'The completed sprint, with how many tasks moved'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: byId, tags, summary: 'Delete a sprint still in planning; its tasks go back to the backlog',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function sprintRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listSprints(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createSprint(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getSprint(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateSprint(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(start, async (c) => c.json(serialize(await service.startSprint(call(c), c.req.valid('param').id)), 200))
    .openapi(complete, async (c) =>
      c.json(serialize(await service.completeSprint(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteSprint(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
