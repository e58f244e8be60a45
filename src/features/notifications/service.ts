import type { SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { NotificationChannel, NotificationType } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { isUuid } from '../../uuid.js';
import { publishLiveEvents } from '../live-events/service.js';
import { announceWebhookEvent } from '../webhooks/service.js';
import { type TellSubject, membersAmong, sprintPeople, tellSql, watchersOf } from './tell-in-one-trip.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import { findTaskId } from '../tasks/service.js';
import * as repository from './repository.js';
import type { NotificationListQuery, ReadNotificationsInput } from './schemas.js';

/**
 * `@handle` in a comment or a description: a handle is letters, digits, `.`, `_` and `-`, and
 * names the member whose username, or the part of whose email before the @, it is (case
 * ignored). An email address in the text (`ann@example.com`) is no mention: the @ must not
 * follow a letter or digit.
 */
const MENTION = /(?<![\p{L}\p{N}._-])@([\p{L}\p{N}._-]{1,64})/gu;

/** The lower-case handles a text mentions, without trailing dots (`@ann.` ends a sentence). */
export function mentionedHandles(text: string | null | undefined): string[] {
  if (!text) return [];
  const handles = [...text.matchAll(MENTION)].map((match) => (match[1] ?? '').replace(/\.+$/, '').toLowerCase());
  return [...new Set(handles.filter((handle) => /^[a-z0-9._-]+$/.test(handle)))];
}

type Notice = { organizationId: string; actorId: string | null };
type TaskFacts = { id: string; projectId: string; assigneeId: string | null; status: string; description: string | null };
type Subject = Omit<TellSubject, 'organizationId' | 'actorId'>;

/**
 * Tells the people concerned (`recipients`, a query of user ids: see tell-in-one-trip.ts, which
 * holds the rules) and announces the batch on the live stream (one event for however many were
 * told: clients re-read their own inbox). One statement, in the transaction of the change.
 */
async function tell(tx: Tx, notice: Notice, subject: Subject, recipients: SQL) {
  await tx.execute(tellSql({ ...subject, organizationId: notice.organizationId, actorId: notice.actorId }, recipients, uuidv7()));
}

/** Mentions in `text` that `before` did not already make: an edit does not notify twice. */
async function tellMentioned(tx: Tx, notice: Notice, subject: Omit<Subject, 'type'>, text: string | null, before: string | null = null) {
  const already = new Set(mentionedHandles(before));
  const handles = mentionedHandles(text).filter((handle) => !already.has(handle));
  const userIds = await repository.membersByHandle(tx, notice.organizationId, handles);
  if (userIds.length > 0) await tell(tx, notice, { ...subject, type: 'mentioned' }, membersAmong(notice.organizationId, userIds));
  return userIds;
}

/** New tasks: their creator and assignee watch them, the assignee and anyone mentioned are told. */
export async function afterTasksCreated(tx: Tx, notice: Notice & { actorId: string }, created: TaskFacts[]): Promise<void> {
  await repository.watchAutomatically(
    tx,
    notice.organizationId,
    created.flatMap((task) => [
      { taskId: task.id, userId: notice.actorId },
      ...(task.assigneeId ? [{ taskId: task.id, userId: task.assigneeId }] : []),
    ]),
  );
  for (const task of created) {
    const subject = { projectId: task.projectId, taskId: task.id };
    if (task.assigneeId) await tell(tx, notice, { ...subject, type: 'assigned' }, membersAmong(notice.organizationId, [task.assigneeId]));
    await tellMentioned(tx, notice, subject, task.description);
  }
  await publishLiveEvents(tx, notice.organizationId, created.map((task) => ({ kind: 'task.created', projectId: task.projectId, id: task.id })));
  await announceWebhookEvent(tx, notice.organizationId, 'task.created', created);
}

/** A changed task: a new assignee watches it and is told; its watchers hear of a new status. */
export async function afterTasksUpdated(tx: Tx, notice: Notice, changes: { before: TaskFacts; after: TaskFacts }[]): Promise<void> {
  for (const { before, after } of changes) {
    const subject = { projectId: after.projectId, taskId: after.id };
    if (after.assigneeId && after.assigneeId !== before.assigneeId) {
      await repository.watchAutomatically(tx, notice.organizationId, [{ taskId: after.id, userId: after.assigneeId }]);
      await tell(tx, notice, { ...subject, type: 'assigned' }, membersAmong(notice.organizationId, [after.assigneeId]));
    }
    if (after.status !== before.status) await tell(tx, notice, { ...subject, type: 'status_changed' }, watchersOf(notice.organizationId, after.id));
    if (after.description !== before.description) await tellMentioned(tx, notice, subject, after.description, before.description);
  }
  await publishLiveEvents(tx, notice.organizationId, changes.map(({ after }) => ({ kind: 'task.updated', projectId: after.projectId, id: after.id })));
  await announceWebhookEvent(tx, notice.organizationId, 'task.updated', changes.map(({ after }) => after));
}

export async function afterTasksDeleted(tx: Tx, notice: Notice, deleted: { id: string; projectId: string }[]): Promise<void> {
  await publishLiveEvents(tx, notice.organizationId, deleted.map((task) => ({ kind: 'task.deleted', projectId: task.projectId, id: task.id })));
  await announceWebhookEvent(tx, notice.organizationId, 'task.deleted', deleted.map((task) => ({ id: task.id, projectId: task.projectId })));
}

/**
 * A new comment: its author watches the task; the people it mentions are told so, and the
 * task's other watchers that a comment arrived (a mention is not also a comment notification).
 */
export async function afterCommentCreated(
  tx: Tx,
  notice: Notice & { actorId: string },
  comment: { id: string; taskId: string; body: string },
): Promise<void> {
  const projectId = await repository.projectOfTask(tx, notice.organizationId, comment.taskId);
  const subject = { projectId, taskId: comment.taskId, commentId: comment.id };
  await repository.watchAutomatically(tx, notice.organizationId, [{ taskId: comment.taskId, userId: notice.actorId }]);
  const mentioned = await tellMentioned(tx, notice, subject, comment.body);
  await tell(tx, notice, { ...subject, type: 'commented' }, watchersOf(notice.organizationId, comment.taskId, mentioned));
  await publishLiveEvents(tx, notice.organizationId, [{ kind: 'comment.created', projectId, id: comment.id }]);
  await announceWebhookEvent(tx, notice.organizationId, 'comment.created', [{ ...comment, projectId }]);
}

/** An edited comment tells only the people newly mentioned. */
export async function afterCommentChanged(
  tx: Tx,
  notice: Notice,
  comment: { id: string; taskId: string; body: string | null; bodyBefore: string | null; deleted: boolean },
): Promise<void> {
  const projectId = await repository.projectOfTask(tx, notice.organizationId, comment.taskId);
  if (!comment.deleted) {
    await tellMentioned(tx, notice, { projectId, taskId: comment.taskId, commentId: comment.id }, comment.body, comment.bodyBefore);
  }
  await publishLiveEvents(tx, notice.organizationId, [{ kind: comment.deleted ? 'comment.deleted' : 'comment.updated', projectId, id: comment.id }]);
}

/** A sprint created, changed, started, completed or deleted; starting and completing tell its people. */
export async function afterSprintChanged(
  tx: Tx,
  notice: Notice,
  sprint: { id: string; projectId: string },
  change: 'created' | 'updated' | 'started' | 'completed' | 'deleted',
): Promise<void> {
  if (change === 'started' || change === 'completed') {
    await tell(
      tx,
      notice,
      { type: change === 'started' ? 'sprint_started' : 'sprint_completed', projectId: sprint.projectId, sprintId: sprint.id },
      sprintPeople(notice.organizationId, sprint.projectId, sprint.id),
    );
    await announceWebhookEvent(tx, notice.organizationId, change === 'started' ? 'sprint.started' : 'sprint.completed', [sprint]);
  }
  const kind = change === 'created' ? 'sprint.created' : change === 'deleted' ? 'sprint.deleted' : 'sprint.updated';
  await publishLiveEvents(tx, notice.organizationId, [{ kind, projectId: sprint.projectId, id: sprint.id }]);
}

/** The person who sent an invitation hears that it was accepted. */
export async function afterInvitationAccepted(tx: Tx, notice: Notice, invitation: { id: string; inviterId: string | null }): Promise<void> {
  if (!invitation.inviterId) return;
  await tell(tx, notice, { type: 'invitation_accepted', invitationId: invitation.id }, membersAmong(notice.organizationId, [invitation.inviterId]));
}

// The API: everyone reads and changes only their own inbox, watches and preferences.

type Cursor = { createdAt: Date; id: string };

function encodeCursor(row: Cursor): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(text: string | undefined): Cursor | null {
  if (!text) return null;
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new TenantryError('validation_failed', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return { createdAt, id };
}

export async function listNotifications(call: ServiceCall, query: NotificationListQuery) {
  requirePermission(call, 'read');
  const { organizationId, userId } = call.scope;
  const after = decodeCursor(query.cursor);
  const { rows, unreadCount } = await inTenant(call, async (tx) => ({
    rows: await repository.listNotifications(tx, organizationId, userId, { unread: query.unread === 'true', after, limit: query.limit }),
    unreadCount: await repository.countUnread(tx, organizationId, userId),
  }));
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, unreadCount, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

export async function markNotificationsRead(call: ServiceCall, input: ReadNotificationsInput) {
  requirePermission(call, 'read');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    const marked = await repository.markRead(tx, organizationId, userId, 'all' in input ? 'all' : input.ids);
    return { marked, unreadCount: await repository.countUnread(tx, organizationId, userId) };
  });
}

export async function getWatch(call: ServiceCall, taskIdOrRef: string) {
  requirePermission(call, 'read');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    const taskId = found(await findTaskId(tx, organizationId, taskIdOrRef), 'task');
    return { taskId, watching: await repository.isWatching(tx, organizationId, taskId, userId), watcherCount: await repository.countWatchers(tx, organizationId, taskId) };
  });
}

export async function setWatch(call: ServiceCall, taskIdOrRef: string, watching: boolean) {
  requirePermission(call, 'read');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    const taskId = found(await findTaskId(tx, organizationId, taskIdOrRef), 'task');
    await repository.setWatching(tx, organizationId, taskId, userId, watching);
    return { taskId, watching, watcherCount: await repository.countWatchers(tx, organizationId, taskId) };
  });
}

export const NOTIFICATION_DEFAULT_CHANNEL: NotificationChannel = 'in_app';

/** Every type with the caller's channel for it (in the inbox unless they chose otherwise). */
export async function getPreferences(call: ServiceCall, types: readonly NotificationType[]) {
  requirePermission(call, 'read');
  const { organizationId, userId } = call.scope;
  const chosen = await inTenant(call, (tx) => repository.listPreferences(tx, organizationId, userId));
  const channelOf = new Map(chosen.map((row) => [row.type, row.channel]));
  return { items: types.map((type) => ({ type, channel: channelOf.get(type) ?? NOTIFICATION_DEFAULT_CHANNEL })) };
}

export async function setPreferences(call: ServiceCall, types: readonly NotificationType[], choices: { type: NotificationType; channel: NotificationChannel }[]) {
  requirePermission(call, 'read');
  const { organizationId, userId } = call.scope;
  await inTenant(call, (tx) => repository.setPreferences(tx, organizationId, userId, choices));
  return getPreferences(call, types);
}
