import { createRoute } from '@hono/zod-openapi';
import { OrgParams, checksMembershipItself, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { claimTenant } from '../../http/tenant-scope.js';
import { type ClaimedCall, callerOf } from '../shared/service-call.js';
import {
  BulkCreateTasksBody,
  BulkUpdateTasksBody,
  CreateTaskBody,
  MoveTaskBody,
  OrgTaskListQuery,
  ProjectParams,
  Task,
  TaskList,
  TaskListQuery,
  TaskPage,
  TaskParams,
  UpdateTaskBody,
} from './schemas.js';
import * as service from './service.js';
import { taskJson } from './task-json.js';

const tags = ['tasks'];
const inProject = '/orgs/{orgId}/projects/{projectId}/tasks';
const inOrganization = '/orgs/{orgId}/tasks';
const byId = '/orgs/{orgId}/tasks/{id}';

const list = createRoute({
  ...checksMembershipItself,
  method: 'get', path: inProject, tags, operationId: 'listProjectTasks',
  summary: 'List and search a project\'s tasks (in the project\'s order by default)',
  request: { params: ProjectParams, query: TaskListQuery },
  responses: { 200: json(TaskPage, 'A page of tasks'), ...tenantErrorResponses },
});
const listInOrganization = createRoute({
  method: 'get', path: inOrganization, tags, operationId: 'listTasks',
  summary: 'List the organization\'s tasks across projects (`assigneeId=me`: my work); newest change first by default',
  request: { params: OrgParams, query: OrgTaskListQuery },
  responses: { 200: json(TaskPage, 'A page of tasks'), ...tenantErrorResponses },
});
const create = createRoute({
  ...checksMembershipItself,
  method: 'post', path: inProject, tags, operationId: 'createTask',
  summary: 'Create a task at the end of its project (members and up; counts against the plan)',
  request: { params: ProjectParams, body: jsonBody(CreateTaskBody) },
  responses: { 201: json(Task, 'The new task, numbered within its project'), ...tenantErrorResponses },
});
const bulkCreate = createRoute({
  ...checksMembershipItself,
  method: 'post', path: `${inProject}/bulk`, tags, operationId: 'bulkCreateTasks',
  summary: 'Create up to 100 tasks at once, all or nothing',
  request: { params: ProjectParams, body: jsonBody(BulkCreateTasksBody) },
  responses: { 201: json(TaskList, 'The new tasks, in the order given'), ...tenantErrorResponses },
});
const bulkUpdate = createRoute({
  method: 'patch', path: inOrganization, tags, operationId: 'bulkUpdateTasks',
  summary: 'Make one change to up to 100 tasks, all or nothing (any id not found: 404, nothing written)',
  request: { params: OrgParams, body: jsonBody(BulkUpdateTasksBody) },
  responses: { 200: json(TaskList, 'The changed tasks, in the order given'), ...tenantErrorResponses },
});
const get = createRoute({
  ...checksMembershipItself,
  method: 'get', path: byId, tags, operationId: 'getTask', summary: 'Get a task by id or reference (ACME-7)',
  request: { params: TaskParams },
  responses: { 200: json(Task, 'The task'), ...tenantErrorResponses },
});
const update = createRoute({
  ...checksMembershipItself,
  method: 'patch', path: byId, tags, operationId: 'updateTask', summary: 'Change a task (status, assignee, sprint, epic, …)',
  request: { params: TaskParams, body: jsonBody(UpdateTaskBody) },
  responses: { 200: json(Task, 'The changed task'), ...tenantErrorResponses },
});
const move = createRoute({
  ...checksMembershipItself,
  method: 'post', path: `${byId}/move`, tags, operationId: 'moveTask',
  summary: 'Place a task after one task and/or before another of its project (neither: at the end), optionally changing its status',
  request: { params: TaskParams, body: jsonBody(MoveTaskBody) },
  responses: { 200: json(Task, 'The moved task'), ...tenantErrorResponses },
});
const remove = createRoute({
  ...checksMembershipItself,
  method: 'delete', path: byId, tags, operationId: 'deleteTask', summary: 'Delete a task (soft delete)',
  request: { params: TaskParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function taskRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  const claimed = async (c: Context<AppEnv>): Promise<ClaimedCall> => ({ db, claim: await claimTenant(db, c), requestId: c.get('requestId') });
  return newRouter()
    .openapi(list, async (c) => c.json(await service.listTasks(await claimed(c), c.req.valid('param').projectId, c.req.valid('query')), 200))
    .openapi(listInOrganization, async (c) => {
      const { items, nextCursor } = await service.listOrganizationTasks(call(c), c.req.valid('query'));
      return c.json({ items: items.map(taskJson), nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createClaimedTask(await claimed(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(bulkCreate, async (c) => {
      const created = await service.bulkCreateClaimedTasks(await claimed(c), c.req.valid('param').projectId, c.req.valid('json').items);
      return c.json({ items: created.map(serialize) }, 201);
    })
    .openapi(bulkUpdate, async (c) => c.json({ items: (await service.bulkUpdateTasks(call(c), c.req.valid('json'))).map(serialize) }, 200))
    .openapi(get, async (c) => c.json(await service.getTask(await claimed(c), c.req.valid('param').id), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateClaimedTask(await claimed(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(move, async (c) =>
      c.json(serialize(await service.moveClaimedTask(await claimed(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteClaimedTask(await claimed(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
