import { createRoute } from '@hono/zod-openapi';
import { ProjectParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { ImportColumnsBody, ImportColumnsResult, ImportTasksBody, ImportTasksResult } from './schemas.js';
import { importTasks, placeImportColumns } from './service.js';

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

const columnsRoute = createRoute({
  method: 'post', path: '/orgs/{orgId}/projects/{projectId}/tasks/import/columns', tags: ['tasks'], operationId: 'placeImportColumns',
  summary: "Where an import would send each column of a header line (Jira's and Linear's headers, or a mapping); checks no rows, writes nothing",
  request: { params: ProjectParams, body: jsonBody(ImportColumnsBody) },
  responses: { 200: json(ImportColumnsResult, 'Each header and its field'), ...tenantErrorResponses },
});

export function taskImportRoutes({ db }: RouterDeps) {
  return newRouter()
    .openapi(importRoute, async (c) => {
      const result = await importTasks(callerOf(db, c), c.req.valid('param').projectId, c.req.valid('json'));
      return result.dryRun ? c.json(result, 200) : c.json(result, 201);
    })
    .openapi(columnsRoute, async (c) => c.json(await placeImportColumns(callerOf(db, c), c.req.valid('param').projectId, c.req.valid('json')), 200));
}
