import { z } from '@hono/zod-openapi';
import { notificationChannels, notificationTypes } from '../../db/schema/index.js';
import { PageQuery } from '../../http/openapi.js';
import { TaskParams as TaskPathParams } from '../tasks/schemas.js';

export const NotificationType = z.enum(notificationTypes).openapi('NotificationType');
export const NotificationChannel = z
  .enum(notificationChannels)
  .openapi('NotificationChannel', { description: '`in_app`: the inbox; `email`: the inbox and an email digest; `off`: neither' });

export const Notification = z
  .object({
    id: z.uuid(),
    type: NotificationType,
    /** Who caused it; null for the system. */
    actorId: z.uuid().nullable(),
    /** The actor's name; null for the system or someone no longer visible. */
    actorName: z.string().nullable(),
    projectId: z.uuid().nullable(),
    taskId: z.uuid().nullable(),
    /** `ACME-7` and the title while the task exists; null once it is deleted or for other events. */
    taskRef: z.string().nullable(),
    taskTitle: z.string().nullable(),
    commentId: z.uuid().nullable(),
    sprintId: z.uuid().nullable(),
    invitationId: z.uuid().nullable(),
    readAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('Notification');

export const NotificationPage = z
  .object({ items: z.array(Notification), unreadCount: z.number().int(), nextCursor: z.string().nullable() })
  .openapi('NotificationPage');

export const NotificationListQuery = PageQuery.extend({
  unread: z.enum(['true', 'false']).optional().openapi({ description: '`true`: only unread notifications' }),
});

export const ReadNotificationsBody = z
  .union([z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) }), z.strictObject({ all: z.literal(true) })])
  .openapi('ReadNotifications', { description: '`{ "ids": [...] }` marks those read; `{ "all": true }` marks every one' });

export const ReadNotificationsResult = z
  .object({ marked: z.number().int(), unreadCount: z.number().int() })
  .openapi('ReadNotificationsResult');

export const TaskParams = TaskPathParams.omit({ id: true }).extend({
  taskId: TaskPathParams.shape.id.openapi({ param: { name: 'taskId', in: 'path' }, description: 'Task id or reference (ACME-7)' }),
});

export const TaskWatch = z
  .object({ taskId: z.uuid(), watching: z.boolean(), watcherCount: z.number().int() })
  .openapi('TaskWatch');
export const SetTaskWatchBody = z.strictObject({ watching: z.boolean() }).openapi('SetTaskWatch');

const Preference = z.object({ type: NotificationType, channel: NotificationChannel });
export const NotificationPreferences = z.object({ items: z.array(Preference) }).openapi('NotificationPreferences');
export const SetNotificationPreferencesBody = z
  .strictObject({ items: z.array(z.strictObject(Preference.shape)).min(1).max(notificationTypes.length) })
  .openapi('SetNotificationPreferences');

export type NotificationListQuery = z.infer<typeof NotificationListQuery>;
export type ReadNotificationsInput = z.infer<typeof ReadNotificationsBody>;
