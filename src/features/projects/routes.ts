import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { CreateProjectBody, Project, ProjectListQuery, ProjectPage, UpdateProjectBody } from './schemas.js';
import { callerOf } from '../shared/service-call.js';
import * as service from './service.js';

const tags = ['projects'];
const base = '/orgs/{orgId}/projects';

const list = createRoute({
  method: 'get', path: base, tags, summary: 'List projects',
  request: { params: OrgParams, query: ProjectListQuery },
  responses: { 200: json(ProjectPage, 'A page of projects'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: base, tags, summary: 'Create a project (members and up; counts against the plan)',
  request: { params: OrgParams, body: jsonBody(CreateProjectBody) },
  responses: { 201: json(Project, 'The new project'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: 'Get a project',
  request: { params: OrgResourceParams },
  responses: { 200: json(Project, 'The project'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{id}`, tags, summary: 'Change a project',
  request: { params: OrgResourceParams, body: jsonBody(UpdateProjectBody) },
  responses: { 200: json(Project, 'The changed project'), ...tenantErrorResponses },
});
const archive = createRoute({
  method: 'post', path: `${base}/{id}/archive`, tags, summary: 'Archive a project: it accepts no new tasks, sprints, epics or documents until unarchived',
  request: { params: OrgResourceParams },
  responses: { 200: json(Project, 'The archived project'), ...tenantErrorResponses },
});
const unarchive = createRoute({
  method: 'post', path: `${base}/{id}/unarchive`, tags, summary: 'Unarchive a project: it accepts new work again',
  request: { params: OrgResourceParams },
  responses: { 200: json(Project, 'The project, no longer archived'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: 'Delete a project (admins; soft delete)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function projectRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listProjects(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createProject(call(c), c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getProject(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateProject(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(archive, async (c) => c.json(serialize(await service.archiveProject(call(c), c.req.valid('param').id)), 200))
    .openapi(unarchive, async (c) => c.json(serialize(await service.unarchiveProject(call(c), c.req.valid('param').id)), 200))
    .openapi(remove, async (c) => {
      await service.deleteProject(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
