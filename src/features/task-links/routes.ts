import { createRoute } from '@hono/zod-openapi';
import { json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { TaskLinkPage, TaskLinksParams, TaskLinksQuery } from './schemas.js';
import * as service from './service.js';

const list = createRoute({
  method: 'get', path: '/orgs/{orgId}/tasks/{id}/links', tags: ['tasks'], operationId: 'listTaskLinks',
  summary: 'The commits and pull requests that named a task (linked by the GitHub integration), oldest first',
  request: { params: TaskLinksParams, query: TaskLinksQuery },
  responses: { 200: json(TaskLinkPage, 'A page of links'), ...tenantErrorResponses },
});

export function taskLinkRoutes({ db }: RouterDeps) {
  return newRouter().openapi(list, async (c) => {
    const page = await service.listTaskLinks(callerOf(db, c), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
  });
}
