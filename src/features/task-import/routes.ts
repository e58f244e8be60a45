import { createRoute } from '@hono/zod-openapi';
import { ProjectParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { ImportTasksBody, ImportTasksResult } from './schemas.js';
import { importTasks } from './service.js';

const importRoute = createRoute({
  method: 'post', path: '/orgs/{orgId}/projects/{projectId}/tasks/import', tags: ['tasks'],
  summary: "Import tasks from a CSV export (Jira's or Linear's columns, or a mapping), all or nothing; dryRun checks and writes nothing",
  request: { params: ProjectParams, body: jsonBody(ImportTasksBody) },
  responses: {
    200: json(ImportTasksResult, 'Dry run: what would be created'),
    201: json(ImportTasksResult, 'Created'),
    ...tenantErrorResponses,
  },
});

export function taskImportRoutes({ db }: RouterDeps) {
  return newRouter().openapi(importRoute, async (c) => {
    const result = await importTasks(callerOf(db, c), c.req.valid('param').projectId, c.req.valid('json'));
    return result.dryRun ? c.json(result, 200) : c.json(result, 201);
  });
}
