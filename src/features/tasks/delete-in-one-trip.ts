import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { isUuid } from '../../uuid.js';
import { insertAndNotifySql, oneLiveEventJson } from '../live-events/repository.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { recordEventsFromSql, whenSubscribed } from '../webhooks/repository.js';
import { webhookBodySql } from '../webhooks/service.js';
import { refuseUnlessTaskWriter, runInOneTrip } from './one-trip-write.js';

/*
 * A task's soft delete in one database round trip: the checks, the delete (its audit row from
 * the trigger), the `task.deleted` live event and webhook event (afterTasksDeleted) go out as
 * one pipeline, one transaction, as an update does (update-in-one-trip.ts). A check that
 * refuses sends the delete the ordinary way, which tells why.
 */

const value = sql.placeholder;

type DeleteValues = { organizationId: string; id: string; deletedAt: string };

/** The ordinary delete's checks: permission, the task live in a project the caller may write. */
const checks = plainStatement<{ organizationId: string; userId: string; id: string }>(refuseUnlessTaskWriter());

/** repository.updateTasks with `deletedAt`: a live task of a live project. */
const softDelete = plainStatement<DeleteValues>(
  sql`update ${tasks} set deleted_at = ${value('deletedAt')}::timestamptz
        from projects p
       where p.organization_id = ${tasks.organizationId} and p.id = ${tasks.projectId} and p.deleted_at is null
         and ${tasks.organizationId} = ${value('organizationId')}::uuid and ${tasks.id} = ${value('id')}::uuid and ${tasks.deletedAt} is null`,
);

/** The task this delete deleted (its time is this delete's): none when another deleted it first. */
const deletedHere = sql`from ${tasks} where ${tasks.organizationId} = ${value('organizationId')}::uuid and ${tasks.id} = ${value('id')}::uuid
                         and ${tasks.deletedAt} = ${value('deletedAt')}::timestamptz`;

/** `task.deleted` on the live stream. */
const liveEvent = plainStatement<DeleteValues & { eventId: string }>(
  insertAndNotifySql(
    value('organizationId'),
    sql`(select ${oneLiveEventJson(value('eventId'), 'task.deleted', sql`${tasks.projectId}`, sql`${tasks.id}`)} ${deletedHere})`,
  ),
);

/** `task.deleted` for the webhook dispatcher, its data the task's id and project, as announceWebhookEvent writes it. */
const webhookEvent = plainStatement<DeleteValues & { occurredAt: string }>(
  recordEventsFromSql(
    value('organizationId'),
    'task.deleted',
    sql`select ${whenSubscribed(webhookBodySql('task.deleted', value('organizationId'), value('occurredAt'), sql`json_build_object('id', ${tasks.id}, 'projectId', ${tasks.projectId})`))} as body ${deletedHere}`,
  ),
);

/** Whether a delete can go in one round trip: the task named by id (a reference goes the ordinary way). */
export function deletesInOneTrip(idOrRef: string): boolean {
  return isUuid(idOrRef);
}

/**
 * Deletes the task in one round trip: true when done, undefined when a check refused it (nothing
 * was written; the ordinary delete tells why).
 */
export async function deleteTaskInOneTrip(call: ClaimedCall, id: string): Promise<true | undefined> {
  const { organizationId, userId } = call.claim;
  const now = new Date().toISOString();
  const values = { organizationId, id, deletedAt: now };
  const statements = [
    checks.bind({ organizationId, userId, id }),
    softDelete.bind(values),
    liveEvent.bind({ ...values, eventId: uuidv7() }),
    webhookEvent.bind({ ...values, occurredAt: now }),
  ];
  return runInOneTrip(call, statements, () => true as const);
}
