import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, ProjectParams, json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { Burndown, Velocity, VelocityQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['sprints'];

const burndown = createRoute({
  method: 'get', path: '/orgs/{orgId}/sprints/{id}/burndown', tags, operationId: 'getSprintBurndown',
  summary: "A sprint's remaining and completed points per day, with scope changes and the ideal line (every member; from the task history)",
  request: { params: OrgResourceParams },
  responses: { 200: json(Burndown, 'The daily series'), ...tenantErrorResponses },
});

const velocity = createRoute({
  method: 'get', path: '/orgs/{orgId}/projects/{projectId}/velocity', tags, operationId: 'getProjectVelocity',
  summary: "Committed and completed points of the project's last completed sprints, newest first (every member)",
  request: { params: ProjectParams, query: VelocityQuery },
  responses: { 200: json(Velocity, 'One entry per completed sprint'), ...tenantErrorResponses },
});

export function sprintReportRoutes({ db }: RouterDeps) {
  return newRouter()
    .openapi(burndown, async (c) => c.json(await service.sprintBurndown(callerOf(db, c), c.req.valid('param').id), 200))
    .openapi(velocity, async (c) =>
      c.json(await service.projectVelocity(callerOf(db, c), c.req.valid('param').projectId, c.req.valid('query')), 200));
}
