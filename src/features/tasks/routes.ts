import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { BulkCreateTasksBody, CreateTaskBody, ProjectParams, Task, TaskList, TaskListQuery, TaskPage, UpdateTaskBody } from './schemas.js';
import * as service from './service.js';

const tags = ['tasks'];
const inProject = '/orgs/{orgId}/projects/{projectId}/tasks';
const byId = '/orgs/{orgId}/tasks/{id}';

const list = createRoute({
  method: 'get', path: inProject, tags, summary: 'List and search a project\'s tasks',
  request: { params: ProjectParams, query: TaskListQuery },
  responses: { 200: json(TaskPage, 'A page of tasks'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: inProject, tags, summary: 'Create a task (members and up; counts against the plan)',
  request: { params: ProjectParams, body: jsonBody(CreateTaskBody) },
  responses: { 201: json(Task, 'The new task, numbered within its project'), ...tenantErrorResponses },
});
const bulkCreate = createRoute({
  method: 'post', path: `${inProject}/bulk`, tags, summary: 'Create up to 100 tasks at once, all or nothing',
  request: { params: ProjectParams, body: jsonBody(BulkCreateTasksBody) },
  responses: { 201: json(TaskList, 'The new tasks, in the order given'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: byId, tags, summary: 'Get a task',
  request: { params: OrgResourceParams },
  responses: { 200: json(Task, 'The task'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: byId, tags, summary: 'Change a task (status, assignee, sprint, epic, …)',
  request: { params: OrgResourceParams, body: jsonBody(UpdateTaskBody) },
  responses: { 200: json(Task, 'The changed task'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: byId, tags, summary: 'Delete a task (soft delete)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function taskRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listTasks(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createTask(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(bulkCreate, async (c) => {
      const created = await service.bulkCreateTasks(call(c), c.req.valid('param').projectId, c.req.valid('json').items);
      return c.json({ items: created.map(serialize) }, 201);
    })
    .openapi(get, async (c) => c.json(serialize(await service.getTask(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateTask(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteTask(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
