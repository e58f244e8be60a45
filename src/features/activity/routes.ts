import { createRoute } from '@hono/zod-openapi';
import { json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { ProjectActivityPage, ProjectActivityParams, ProjectActivityQuery } from './schemas.js';
import * as service from './service.js';

const list = createRoute({
  method: 'get', path: '/orgs/{orgId}/projects/{projectId}/activity', tags: ['projects'], operationId: 'listProjectActivity',
  summary: "Who created, changed, commented on, moved or deleted what in a project, newest first (every member; from the audit trail)",
  request: { params: ProjectActivityParams, query: ProjectActivityQuery },
  responses: { 200: json(ProjectActivityPage, 'A page of activity entries'), ...tenantErrorResponses },
});

export function projectActivityRoutes({ db }: RouterDeps) {
  return newRouter().openapi(list, async (c) => {
    const page = await service.listProjectActivity(callerOf(db, c), c.req.valid('param').projectId, c.req.valid('query'));
    return c.json(page, 200);
  });
}
