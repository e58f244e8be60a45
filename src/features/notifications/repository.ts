import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { notificationPreferences, notifications, projects, taskWatchers, tasks, users } from '../../db/schema/index.js';
import type { NotificationChannel, NotificationType } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { rowsOf } from '../../db/rows.js';
import { plainStatement } from '../../db/statement.js';
import { membersByHandleSql } from './tell-in-one-trip.js';

/**
 * `watchAutomatically` as a statement for a one-trip write (its values are placeholders): the
 * pairs `taskIds[i]` and `userIds[i]` watch; an unwatch made by hand holds.
 */
export const watchPairsStatement = plainStatement<{ organizationId: string; taskIds: string[]; userIds: string[] }>(
  sql`insert into ${taskWatchers} (organization_id, task_id, user_id)
      select ${sql.placeholder('organizationId')}, w.task_id, w.user_id from unnest(${sql.placeholder('taskIds')}::uuid[], ${sql.placeholder('userIds')}::uuid[]) as w(task_id, user_id)
      on conflict (organization_id, task_id, user_id) do nothing`,
);

/** Watching that comes with taking part: never overrides an "unwatch" made by hand. */
export async function watchAutomatically(tx: Tx, organizationId: string, pairs: { taskId: string; userId: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  await tx
    .insert(taskWatchers)
    .values(pairs.map((pair) => ({ organizationId, ...pair })))
    .onConflictDoNothing({ target: [taskWatchers.organizationId, taskWatchers.taskId, taskWatchers.userId] });
}

export async function setWatching(tx: Tx, organizationId: string, taskId: string, userId: string, watching: boolean): Promise<void> {
  await tx
    .insert(taskWatchers)
    .values({ organizationId, taskId, userId, watching })
    .onConflictDoUpdate({ target: [taskWatchers.organizationId, taskWatchers.taskId, taskWatchers.userId], set: { watching } });
}

export async function isWatching(tx: Tx, organizationId: string, taskId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ watching: taskWatchers.watching })
    .from(taskWatchers)
    .where(and(eq(taskWatchers.organizationId, organizationId), eq(taskWatchers.taskId, taskId), eq(taskWatchers.userId, userId)));
  return row?.watching ?? false;
}

export async function countWatchers(tx: Tx, organizationId: string, taskId: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(taskWatchers)
    .where(and(eq(taskWatchers.organizationId, organizationId), eq(taskWatchers.taskId, taskId), eq(taskWatchers.watching, true)));
  return row?.count ?? 0;
}

/** The project a task belongs to, for what a comment announces. */
export async function projectOfTask(tx: Tx, organizationId: string, taskId: string): Promise<string | null> {
  const [row] = await tx
    .select({ projectId: tasks.projectId })
    .from(tasks)
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.id, taskId)));
  return row?.projectId ?? null;
}

/** Members of the organization whose username, or the part of their email before the @, is one of `handles` (lower case). */
export async function membersByHandle(tx: Tx, organizationId: string, handles: string[]): Promise<string[]> {
  if (handles.length === 0) return [];
  const handleArray = `{${handles.map((handle) => `"${handle}"`).join(',')}}`;
  const rows = await tx.execute(membersByHandleSql(organizationId, handleArray));
  return rowsOf<{ user_id: string }>(rows).map((row) => row.user_id);
}

const actor = alias(users, 'actor');

/** The columns a person sees, with the actor's name and the task's reference and title, read in the same statement. */
const visible = {
  id: notifications.id,
  type: notifications.type,
  actorId: notifications.actorId,
  actorName: actor.name,
  projectId: notifications.projectId,
  taskId: notifications.taskId,
  taskRef: sql<string | null>`${projects.key} || '-' || ${tasks.number}`,
  taskTitle: tasks.title,
  commentId: notifications.commentId,
  sprintId: notifications.sprintId,
  invitationId: notifications.invitationId,
  readAt: notifications.readAt,
  createdAt: notifications.createdAt,
};

/** Notifications as the inbox shows them: with their actor, and their task's reference and title while it lives. */
function selectVisible(tx: Tx) {
  return tx
    .select(visible)
    .from(notifications)
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .leftJoin(tasks, and(eq(tasks.organizationId, notifications.organizationId), eq(tasks.id, notifications.taskId), isNull(tasks.deletedAt)))
    .leftJoin(projects, and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId)));
}

/** One person's inbox, newest first, after the (createdAt, id) of the previous page's last row. */
export async function listNotifications(
  tx: Tx,
  organizationId: string,
  userId: string,
  options: { unread: boolean; after: { createdAt: Date; id: string } | null; limit: number },
) {
  const { after } = options;
  return selectVisible(tx)
    .where(
      and(
        eq(notifications.organizationId, organizationId),
        eq(notifications.userId, userId),
        options.unread ? isNull(notifications.readAt) : undefined,
        after
          ? or(lt(notifications.createdAt, after.createdAt), and(eq(notifications.createdAt, after.createdAt), lt(notifications.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit + 1);
}

export async function countUnread(tx: Tx, organizationId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.count ?? 0;
}

/** Marks the person's own notifications read (all of them, or those ids); returns how many changed. */
export async function markRead(tx: Tx, organizationId: string, userId: string, ids: string[] | 'all'): Promise<number> {
  const rows = await tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.organizationId, organizationId),
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === 'all' ? undefined : inArray(notifications.id, ids),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

export async function listPreferences(tx: Tx, organizationId: string, userId: string) {
  return tx
    .select({ type: notificationPreferences.type, channel: notificationPreferences.channel })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.organizationId, organizationId), eq(notificationPreferences.userId, userId)));
}

export async function setPreferences(
  tx: Tx,
  organizationId: string,
  userId: string,
  choices: { type: NotificationType; channel: NotificationChannel }[],
): Promise<void> {
  if (choices.length === 0) return;
  await tx
    .insert(notificationPreferences)
    .values(choices.map((choice) => ({ organizationId, userId, ...choice })))
    .onConflictDoUpdate({
      target: [notificationPreferences.organizationId, notificationPreferences.userId, notificationPreferences.type],
      set: { channel: sql`excluded.channel` },
    });
}

/** Takes the person's notifications waiting for email (oldest first), clearing the mark, with what a digest says of each. */
export async function takeEmailPending(tx: Tx, organizationId: string, userId: string) {
  const taken = await tx
    .update(notifications)
    .set({ emailPending: false, emailedAt: new Date() })
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.userId, userId), eq(notifications.emailPending, true)))
    .returning({ id: notifications.id });
  if (taken.length === 0) return [];
  return selectVisible(tx)
    .where(and(eq(notifications.organizationId, organizationId), inArray(notifications.id, taken.map((row) => row.id))))
    .orderBy(notifications.createdAt, notifications.id);
}

/** Where a digest goes, and the organization it speaks of (the member's language is platform data: userLanguage). */
export async function digestRecipient(tx: Tx, organizationId: string, userId: string) {
  const rows = await tx.execute(sql`
    select u.email, u.name, o.name as organization_name, o.slug as organization_slug
      from members m join users u on u.id = m.user_id join organizations o on o.id = m.organization_id
     where m.organization_id = ${organizationId} and m.user_id = ${userId}`);
  const [row] = rowsOf<{ email: string; name: string; organization_name: string; organization_slug: string }>(rows);
  return row;
}

/** A person's language (platform work: the app role may not read it). */
export async function userLanguage(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx.select({ language: users.language }).from(users).where(eq(users.id, userId));
  return row?.language ?? null;
}
