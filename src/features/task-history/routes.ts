import { createRoute } from '@hono/zod-openapi';
import { json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { TaskHistoryPage, TaskHistoryParams, TaskHistoryQuery } from './schemas.js';
import * as service from './service.js';

const list = createRoute({
  method: 'get', path: '/orgs/{orgId}/tasks/{id}/history', tags: ['tasks'], operationId: 'listTaskHistory',
  summary: "Who changed what on a task and its comments, newest first (every member; from the audit trail)",
  request: { params: TaskHistoryParams, query: TaskHistoryQuery },
  responses: { 200: json(TaskHistoryPage, 'A page of history entries'), ...tenantErrorResponses },
});

export function taskHistoryRoutes({ db }: RouterDeps) {
  return newRouter().openapi(list, async (c) => {
    const page = await service.listTaskHistory(callerOf(db, c), c.req.valid('param').id, c.req.valid('query'));
    return c.json(page, 200);
  });
}
