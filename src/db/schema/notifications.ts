// Notifications, watching and live updates (migration 0021).
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { fk, timestamps, timestamptz, uniqueKey } from './common.js';
import { invitations, memberReference, tenantColumns, tenantKeys } from './organizations.js';
import { comments, projects, sprints, tasks } from './work.js';

export const notificationTypes = [
  'assigned',
  'mentioned',
  'commented',
  'status_changed',
  'sprint_started',
  'sprint_completed',
  'invitation_accepted',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export const notificationChannels = ['in_app', 'email', 'off'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export const taskWatchers = pgTable(
  'task_watchers',
  {
    ...tenantColumns,
    taskId: uuid('task_id').notNull(),
    userId: uuid('user_id').notNull(),
    /** false: unwatched by hand, which automatic watching leaves alone. */
    watching: boolean('watching').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.taskId, t.userId),
    fk([t.organizationId, t.taskId], [tasks.organizationId, tasks.id], 'cascade'),
    memberReference(t.organizationId, t.userId, 'cascade'),
    index('task_watchers_organization_id_user_id_idx').on(t.organizationId, t.userId),
  ],
);

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    ...tenantColumns,
    userId: uuid('user_id').notNull(),
    type: text('type', { enum: notificationTypes }).notNull(),
    channel: text('channel', { enum: notificationChannels }).notNull(),
    ...timestamps,
  },
  (t) => [...tenantKeys(t), uniqueKey(t.organizationId, t.userId, t.type), memberReference(t.organizationId, t.userId, 'cascade')],
);

export const notifications = pgTable(
  'notifications',
  {
    ...tenantColumns,
    userId: uuid('user_id').notNull(),
    type: text('type', { enum: notificationTypes }).notNull(),
    actorId: uuid('actor_id'),
    projectId: uuid('project_id'),
    taskId: uuid('task_id'),
    commentId: uuid('comment_id'),
    sprintId: uuid('sprint_id'),
    invitationId: uuid('invitation_id'),
    readAt: timestamptz('read_at'),
    emailPending: boolean('email_pending').notNull().default(false),
    emailedAt: timestamptz('emailed_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    memberReference(t.organizationId, t.userId, 'cascade'),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    fk([t.organizationId, t.taskId], [tasks.organizationId, tasks.id], 'cascade'),
    fk([t.organizationId, t.commentId], [comments.organizationId, comments.id], 'cascade'),
    fk([t.organizationId, t.sprintId], [sprints.organizationId, sprints.id], 'cascade'),
    fk([t.organizationId, t.invitationId], [invitations.organizationId, invitations.id], 'cascade'),
    index('notifications_organization_id_user_id_idx').on(t.organizationId, t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_unread_idx').on(t.organizationId, t.userId).where(sql`read_at is null`),
    index('notifications_email_pending_idx').on(t.organizationId, t.userId, t.createdAt).where(sql`email_pending`),
    index('notifications_organization_id_project_id_idx').on(t.organizationId, t.projectId),
    index('notifications_organization_id_task_id_idx').on(t.organizationId, t.taskId),
    index('notifications_organization_id_comment_id_idx').on(t.organizationId, t.commentId),
    index('notifications_organization_id_sprint_id_idx').on(t.organizationId, t.sprintId),
    index('notifications_organization_id_invitation_id_idx').on(t.organizationId, t.invitationId),
  ],
);

export const liveEvents = pgTable(
  'live_events',
  {
    organizationId: uuid('organization_id').notNull(),
    /** UUIDv7 from the application: time-ordered, so "after Last-Event-ID" is an index range. */
    id: uuid('id').notNull(),
    kind: text('kind').notNull(),
    projectId: uuid('project_id'),
    resourceId: uuid('resource_id').notNull(),
    ...timestamps,
  },
  (t) => [...tenantKeys(t), index('live_events_created_at_idx').on(t.createdAt)],
);
