import { type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult } from '../../db/pipeline.js';
import { epics, sprints, tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { insertAndNotifySql, oneLiveEventJson } from '../live-events/repository.js';
import { mentionedHandles } from '../notifications/service.js';
import { membersAmong, membersByHandleSql, mentionedHandlesSql, tellSql, unsureOfMentions, watchersOf } from '../notifications/tell-in-one-trip.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { referenceExists, refuseUnlessTaskWriter, runInOneTrip, taskReadRecordingStatement } from './one-trip-write.js';
import { taskLookup } from './lookup.js';
import * as repository from './repository.js';
import type { UpdateTaskInput } from './schemas.js';

/*
 * A task update in one database round trip: the tenant context, the checks, the update (its
 * audit row, hence the task's history entry, comes from the trigger), the task read as the API
 * answers it, the live event and the webhook event go out as one pipeline, one transaction.
 * The checks raise when any fails (one-trip-write.ts), and the ordinary update then answers.
 * A task named by reference (ACME-7) is resolved once, by the pipeline's first statement
 * (repository.namingStatements), and every later statement reads the id it found, as the
 * ordinary update's `findTask` resolves it once.
 *
 * A new status or assignee tells people in the same pipeline: before the update, with the task
 * locked, statements compare the stored row with the values asked for (what the update will
 * write) and tell by the rules of tell-in-one-trip.ts, the same statement the ordinary path runs.
 * A new description tells the members it newly mentions: the handles are parsed here
 * (`mentionedHandles`), bound as a text[], and those the stored description already mentions are
 * left out in SQL (`mentionedHandlesSql`); a stored description with an @ beyond ASCII makes the
 * one trip refuse, and the ordinary update tells.
 */

const value = sql.placeholder;

type Named = { organizationId: string } & repository.NamedTaskValues;
type CheckValues = Named & { userId: string; epicId: string | null; sprintId: string | null };
type TellValues = Named & { userId: string; eventId: string };

/**
 * A new assignee a member, as a statement of its own: inside the check below, Citus (on
 * PostgreSQL 15 and 16) refused the whole statement ('outer joins and pseudoconstant quals').
 */
const assigneeCheck = plainStatement<{ organizationId: string; assigneeId: string }>(
  sql`select app.refuse_write('the assignee of a one-trip update is not a member')
       where not exists (select from members a where a.organization_id = ${value('organizationId')}::uuid and a.user_id = ${value('assigneeId')}::uuid)`,
);

/**
 * The statements of an update of the task named `by` id or reference (repository.NAMED_TASK):
 * built once for a task named by id and once for one named by reference.
 */
function updateStatementsNaming(by: keyof typeof repository.NAMED_TASK) {
  const taskId = repository.NAMED_TASK[by];
  /**
   * Every check of the ordinary update as one condition on the caller's membership row and the
   * task: permission, the task writable (refuseUnlessTaskWriter), epic and sprint in its project
   * (a new assignee is checked by assigneeCheck, after it).
   */
  const checks = plainStatement<CheckValues>(
    refuseUnlessTaskWriter(
      sql`${referenceExists(epics, value('epicId'), sql`${tasks.projectId}`)} and ${referenceExists(sprints, value('sprintId'), sql`${tasks.projectId}`)}`,
      taskId,
    ),
  );

  /**
   * `task.updated` on the live stream: the project comes from the row, which the request does not
   * name; a task deleted between the check and the write (so not changed) announces nothing.
   */
  const liveEvent = plainStatement<Named & { eventId: string }>(
    insertAndNotifySql(
      value('organizationId'),
      sql`(select ${oneLiveEventJson(value('eventId'), 'task.updated', sql`${tasks.projectId}`, sql`${tasks.id}`)}
             from ${tasks} where ${tasks.organizationId} = ${value('organizationId')} and ${tasks.id} = ${taskId} and ${tasks.deletedAt} is null)`,
    ),
  );

  /** The task's row, locked until the transaction ends: what the tellers compare is what the update changes. */
  const lockTask = plainStatement<Named>(
    sql`select from ${tasks} where ${tasks.organizationId} = ${value('organizationId')} and ${tasks.id} = ${taskId} and ${tasks.deletedAt} is null for update`,
  );

  /** The stored task, when `condition` holds of it (it compares the row before the update with the values asked for). */
  const taskWhere = (condition: SQL) =>
    sql`select from ${tasks} where ${tasks.organizationId} = ${value('organizationId')}::uuid and ${tasks.id} = ${taskId} and ${tasks.deletedAt} is null and ${condition}`;
  /** `recipients` while the stored task meets `condition`, else no one. */
  const onlyWhen = (recipients: SQL, condition: SQL) => sql`select r.user_id from (${recipients}) r where exists (${taskWhere(condition)})`;
  const newAssignee = sql`${tasks.assigneeId} is distinct from ${value('assigneeId')}::uuid`;
  const newStatus = sql`${tasks.status} is distinct from ${value('status')}::text`;
  const newDescription = sql`${tasks.description} is distinct from ${value('description')}::text`;
  /** The handles asked for (`handles`) that the stored description does not already mention. */
  const newlyMentioned = sql`array(select unnest(${value('handles')}::text[]) except
    select s.h from ${tasks} t cross join lateral (${mentionedHandlesSql(sql`t.description`)}) as s(h)
     where t.organization_id = ${value('organizationId')}::uuid and t.id = ${taskId})`;
  const about = (type: 'assigned' | 'status_changed' | 'mentioned') => ({
    organizationId: value('organizationId'),
    type,
    actorId: value('userId'),
    projectId: sql`(select ${tasks.projectId} from ${tasks} where ${tasks.organizationId} = ${value('organizationId')}::uuid and ${tasks.id} = ${taskId})`,
    taskId,
  });

  return {
    checks,
    liveEvent,
    lockTask,
    /** The task read for the answer, its `task.updated` event recorded in the same statement. */
    taskRecorded: taskReadRecordingStatement('task.updated', by),
    /** A new assignee watches the task (an unwatch made by hand holds, as `watchAutomatically`). */
    watchNewAssignee: plainStatement<Named & { assigneeId: string }>(
      sql`insert into task_watchers (organization_id, task_id, user_id)
          select ${value('organizationId')}::uuid, ${taskId}, ${value('assigneeId')}::uuid where exists (${taskWhere(newAssignee)})
          on conflict (organization_id, task_id, user_id) do nothing`,
    ),
    /** The new assignee is told (`assigned`). */
    tellAssigned: plainStatement<TellValues & { assigneeId: string }>(
      tellSql(about('assigned'), onlyWhen(membersAmong(value('organizationId'), sql`array[${value('assigneeId')}::uuid]`), newAssignee), value('eventId')),
    ),
    /** The stored description's mentions are beyond `mentionedHandlesSql`: the ordinary update tells. */
    refuseUnsureMentions: plainStatement<Named>(
      sql`select app.refuse_write('the stored description needs the ordinary update') where exists (${taskWhere(unsureOfMentions(sql`${tasks.description}`))})`,
    ),
    /** Members newly mentioned by a changed description are told (`mentioned`), as `tellMentioned` with the text before. */
    tellMentioned: plainStatement<TellValues & { description: string; handles: string[] }>(
      tellSql(about('mentioned'), onlyWhen(membersByHandleSql(value('organizationId'), newlyMentioned), newDescription), value('eventId')),
    ),
    /** The task's watchers (a new assignee among them, watching since the statement before) hear of a new status. */
    tellStatusChanged: plainStatement<TellValues & { status: string }>(
      tellSql(about('status_changed'), onlyWhen(watchersOf(value('organizationId'), taskId), newStatus), value('eventId')),
    ),
  };
}

const NAMED = { id: updateStatementsNaming('id'), ref: updateStatementsNaming('ref') };

/** `task.updated` on the live stream for a task named by id (a move sends it too). */
export const taskUpdatedLiveEvent = NAMED.id.liveEvent;

/**
 * The statements that tell whom the change concerns, run before the update against the locked
 * row, in the ordinary path's order: the new assignee watches, is told, then the watchers hear
 * of the status. None when the change can tell no one.
 */
export function tellingStatements(call: ClaimedCall, idOrRef: string, input: Pick<UpdateTaskInput, 'assigneeId' | 'status' | 'description'>) {
  const { organizationId, userId } = call.claim;
  const named = repository.namedTaskValues(taskLookup(idOrRef));
  const { lockTask, watchNewAssignee, tellAssigned, tellStatusChanged, refuseUnsureMentions, tellMentioned } = NAMED[named.by];
  const task = { organizationId, ...named.values };
  const { assigneeId, status, description } = input;
  const handles = mentionedHandles(description);
  if (!assigneeId && status === undefined && handles.length === 0) return [];
  return [
    lockTask.bind(task),
    ...(handles.length > 0 ? [refuseUnsureMentions.bind(task)] : []),
    ...(assigneeId
      ? [watchNewAssignee.bind({ ...task, assigneeId }), tellAssigned.bind({ ...task, userId, assigneeId, eventId: uuidv7() })]
      : []),
    ...(status === undefined ? [] : [tellStatusChanged.bind({ ...task, userId, status, eventId: uuidv7() })]),
    ...(description && handles.length > 0 ? [tellMentioned.bind({ ...task, userId, description, handles, eventId: uuidv7() })] : []),
  ];
}

/**
 * The pipeline's statements after the context for the task `idOrRef` (its id or its reference,
 * ACME-7), and how to read the changed task from their results.
 */
export function updateTaskStatements(call: ClaimedCall, idOrRef: string, input: UpdateTaskInput) {
  const { organizationId, userId } = call.claim;
  const lookup = taskLookup(idOrRef);
  const named = repository.namedTaskValues(lookup);
  const { checks, taskRecorded, liveEvent } = NAMED[named.by];
  const task = { organizationId, ...named.values };
  const statements = [
    ...repository.namingStatements(organizationId, named.values),
    checks.bind({ ...task, userId, epicId: input.epicId ?? null, sprintId: input.sprintId ?? null }),
    ...(input.assigneeId ? [assigneeCheck.bind({ organizationId, assigneeId: input.assigneeId })] : []),
    ...tellingStatements(call, idOrRef, input),
    repository.updateTaskStatement(organizationId, lookup, input),
    taskRecorded.bind({ ...task, occurredAt: new Date().toISOString() }),
    liveEvent.bind({ ...task, eventId: uuidv7() }),
  ];
  const readAt = statements.length - 2;
  return { statements, read: (results: PipelineResult[]) => taskRecorded.read(results[readAt]) };
}

/**
 * Changes the task `idOrRef` in one round trip, or answers undefined when a check refused it
 * (nothing was written; the ordinary update tells why).
 */
export async function updateTaskInOneTrip(call: ClaimedCall, idOrRef: string, input: UpdateTaskInput) {
  const { statements, read } = updateTaskStatements(call, idOrRef, input);
  return runInOneTrip(call, statements, read);
}
