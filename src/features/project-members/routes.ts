import { createRoute } from '@hono/zod-openapi';
import { json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import {
  AddProjectMemberBody,
  ProjectMember,
  ProjectMemberListQuery,
  ProjectMemberPage,
  ProjectMemberParams,
  ProjectParams,
  UpdateProjectMemberBody,
} from './schemas.js';
import * as service from './service.js';

const tags = ['project members'];
const base = '/orgs/{orgId}/projects/{projectId}/members';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List a project's members",
  request: { params: ProjectParams, query: ProjectMemberListQuery },
  responses: { 200: json(ProjectMemberPage, 'A page of project members'), ...tenantErrorResponses },
});
const add = createRoute({
  method: 'post', path: base, tags, summary: 'Add an organization member to the project (admins and project leads)',
  request: { params: ProjectParams, body: jsonBody(AddProjectMemberBody) },
  responses: { 201: json(ProjectMember, 'The new project member'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{userId}`, tags, summary: "Change someone's project role (admins and project leads)",
  request: { params: ProjectMemberParams, body: jsonBody(UpdateProjectMemberBody) },
  responses: { 200: json(ProjectMember, 'The project member with the new role'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{userId}`, tags, summary: 'Take someone off the project (admins and project leads)',
  request: { params: ProjectMemberParams },
  responses: { 204: { description: 'Removed' }, ...tenantErrorResponses },
});

export function projectMemberRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listProjectMembers(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(add, async (c) =>
      c.json(serialize(await service.addProjectMember(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(update, async (c) => {
      const { projectId, userId } = c.req.valid('param');
      return c.json(serialize(await service.changeProjectRole(call(c), projectId, userId, c.req.valid('json'))), 200);
    })
    .openapi(remove, async (c) => {
      const { projectId, userId } = c.req.valid('param');
      await service.removeProjectMember(call(c), projectId, userId);
      return c.body(null, 204);
    });
}
