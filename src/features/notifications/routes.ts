import { createRoute } from '@hono/zod-openapi';
import { notificationTypes } from '../../db/schema/index.js';
import { OrgParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import {
  NotificationListQuery,
  NotificationPage,
  NotificationPreferences,
  ReadNotificationsBody,
  ReadNotificationsResult,
  SetNotificationPreferencesBody,
  SetTaskWatchBody,
  TaskParams,
  TaskWatch,
} from './schemas.js';
import * as service from './service.js';

const tags = ['notifications'];
const inbox = '/orgs/{orgId}/notifications';
const preferences = '/orgs/{orgId}/notification-preferences';
const watch = '/orgs/{orgId}/tasks/{taskId}/watch';

const list = createRoute({
  method: 'get', path: inbox, tags, summary: 'Your notifications in this organization, newest first, with the unread count',
  request: { params: OrgParams, query: NotificationListQuery },
  responses: { 200: json(NotificationPage, 'A page of notifications'), ...tenantErrorResponses },
});
const read = createRoute({
  method: 'post', path: `${inbox}/read`, tags, operationId: 'markNotificationsRead',
  summary: 'Mark some (`ids`) or all (`all: true`) of your notifications read',
  request: { params: OrgParams, body: jsonBody(ReadNotificationsBody) },
  responses: { 200: json(ReadNotificationsResult, 'How many changed, and the unread count after'), ...tenantErrorResponses },
});
const getPreferences = createRoute({
  method: 'get', path: preferences, tags, operationId: 'getNotificationPreferences',
  summary: 'Your channel for each kind of notification (in_app unless you chose otherwise)',
  request: { params: OrgParams },
  responses: { 200: json(NotificationPreferences, 'Every type with its channel'), ...tenantErrorResponses },
});
const setPreferences = createRoute({
  method: 'put', path: preferences, tags, operationId: 'setNotificationPreferences',
  summary: 'Choose the channel of the types you name (the others keep theirs)',
  request: { params: OrgParams, body: jsonBody(SetNotificationPreferencesBody) },
  responses: { 200: json(NotificationPreferences, 'Every type with its channel'), ...tenantErrorResponses },
});
const getWatch = createRoute({
  method: 'get', path: watch, tags, operationId: 'getTaskWatch', summary: 'Whether you watch the task, and how many do',
  request: { params: TaskParams },
  responses: { 200: json(TaskWatch, 'Your watch on the task'), ...tenantErrorResponses },
});
const setWatch = createRoute({
  method: 'put', path: watch, tags, operationId: 'setTaskWatch',
  summary: 'Watch or stop watching a task (stopping holds: commenting again does not resume it)',
  request: { params: TaskParams, body: jsonBody(SetTaskWatchBody) },
  responses: { 200: json(TaskWatch, 'Your watch on the task'), ...tenantErrorResponses },
});

export function notificationRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listNotifications(call(c), c.req.valid('query'));
      return c.json({ ...page, items: page.items.map(serialize) }, 200);
    })
    .openapi(read, async (c) => c.json(await service.markNotificationsRead(call(c), c.req.valid('json')), 200))
    .openapi(getPreferences, async (c) => c.json(await service.getPreferences(call(c), notificationTypes), 200))
    .openapi(setPreferences, async (c) =>
      c.json(await service.setPreferences(call(c), notificationTypes, c.req.valid('json').items), 200))
    .openapi(getWatch, async (c) => c.json(await service.getWatch(call(c), c.req.valid('param').taskId), 200))
    .openapi(setWatch, async (c) =>
      c.json(await service.setWatch(call(c), c.req.valid('param').taskId, c.req.valid('json').watching), 200));
}
