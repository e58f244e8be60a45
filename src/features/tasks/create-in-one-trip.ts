import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { epics, sprints } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { insertAndNotifySql } from '../live-events/repository.js';
import { membersAmong, membersByHandleSql, tellSql } from '../notifications/tell-in-one-trip.js';
import { withEventIds } from '../live-events/service.js';
import { mentionedHandles } from '../notifications/service.js';
import { watchPairsStatement } from '../notifications/repository.js';
import { limitLockKey, takeLimitLock, withinLimit } from '../plans/limits.js';
import { inGoodStanding } from '../plans/standing.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { referencesExist, refuseUnlessWriter, runInOneTrip, tasksReadRecordingStatement } from './one-trip-write.js';
import * as repository from './repository.js';
import type { CreateTaskInput } from './schemas.js';

/*
 * Task creates in one database round trip, one task or a batch alike: the tenant context, the
 * checks, the insert of every row (their audit rows come from the trigger), the creator's
 * watches, the live events and the webhook events for the dispatcher go out as one pipeline
 * (db/pipeline.ts), one transaction. The checks raise when any fails (one-trip-write.ts); the
 * condition is the conjunction of the ordinary create's checks, so it never lets through what
 * they refuse. A single create is the batch of one.
 *
 * An assignee and the members a description mentions are told in the same pipeline, by the
 * rules of tell-in-one-trip.ts (the statement the ordinary path runs): per task, the assignee
 * (`assigned`), then the mentioned (`mentioned`, the handles parsed here and bound as a text[]),
 * after the creator's and the assignees' watches, in the ordinary path's order.
 */

const value = sql.placeholder;

type CheckValues = { organizationId: string; userId: string; projectId: string; epicIds: string[]; sprintIds: string[]; count: number };

const ids = { organizationId: value('organizationId'), projectId: value('projectId'), userId: value('userId') };

/**
 * Every check of the ordinary create as one condition on the caller's membership row:
 * permission, project access, every item's references, standing and the plan's task limit with
 * the batch's count (its lock is taken by the statement before this one, as `assertWithinLimit`
 * takes it before counting).
 */
const checks = plainStatement<CheckValues>(
  refuseUnlessWriter(sql`${projectAccessSql(ids, sql`m.role`, 'write')}
        and ${referencesExist(epics, value('epicIds'), value('projectId'))}
        and ${referencesExist(sprints, value('sprintIds'), value('projectId'))}
        and ${inGoodStanding(value('organizationId'))}
        and ${withinLimit('tasks', value('organizationId'), value('count'))}`),
);

/** Members only: an outsider's refused create must not hold another organization's lock. */
const limitLock = plainStatement<{ key: string; organizationId: string; userId: string }>(
  sql`${takeLimitLock(value('key'))} from members m where m.organization_id = ${value('organizationId')} and m.user_id = ${value('userId')}`,
);

/**
 * Every assignee a member (`existingReferences`), as a statement of its own: inside the check,
 * Citus refused the update's like check ('outer joins and pseudoconstant quals').
 */
const assigneesCheck = plainStatement<{ organizationId: string; assigneeIds: string[] }>(
  sql`select app.refuse_write('an assignee of a one-trip create is not a member')
       where (select count(*) from members a where a.organization_id = ${value('organizationId')}::uuid and a.user_id = any(${value('assigneeIds')}::uuid[]))
             <> cardinality(${value('assigneeIds')}::uuid[])`,
);

type TellValues = { organizationId: string; userId: string; projectId: string; taskId: string; eventId: string };
const about = (type: 'assigned' | 'mentioned') => ({ organizationId: value('organizationId'), type, actorId: value('userId'), projectId: value('projectId'), taskId: value('taskId') });

/** A new task's assignee is told (`assigned`). */
const tellAssigned = plainStatement<TellValues & { assigneeId: string }>(
  tellSql(about('assigned'), membersAmong(value('organizationId'), sql`array[${value('assigneeId')}::uuid]`), value('eventId')),
);

/** The members a new task's description mentions (`handles`) are told (`mentioned`). */
const tellMentioned = plainStatement<TellValues & { handles: string[] }>(tellSql(about('mentioned'), membersByHandleSql(value('organizationId'), value('handles')), value('eventId')));

/** Who watches the new tasks (`watchAutomatically`): the creator every task, the assignee theirs, in one statement. */
function watchingStatement(organizationId: string, userId: string, rows: { id: string; assigneeId?: string | null }[]) {
  const pairs = rows.flatMap((row) => [{ taskId: row.id, userId }, ...(row.assigneeId ? [{ taskId: row.id, userId: row.assigneeId }] : [])]);
  return watchPairsStatement.bind({ organizationId, taskIds: pairs.map((pair) => pair.taskId), userIds: pairs.map((pair) => pair.userId) });
}

/** The statements that tell of the new tasks, each task's in the ordinary path's order; none when no one is named. */
function tellingStatements(organizationId: string, userId: string, projectId: string, rows: { id: string; assigneeId?: string | null; description?: string | null }[]) {
  const statements: PipelineStatement[] = [];
  for (const row of rows) {
    const task = { organizationId, userId, projectId, taskId: row.id };
    if (row.assigneeId) statements.push(tellAssigned.bind({ ...task, assigneeId: row.assigneeId, eventId: uuidv7() }));
    const handles = mentionedHandles(row.description);
    if (handles.length > 0) statements.push(tellMentioned.bind({ ...task, handles, eventId: uuidv7() }));
  }
  return statements;
}

const liveEvent = plainStatement<{ organizationId: string; events: string }>(insertAndNotifySql(value('organizationId'), value('events')));

/** The tasks read for the answer, a `task.created` event for each recorded in the same statement. */
const tasksRecorded = tasksReadRecordingStatement('task.created');

/**
 * The pipeline's statements after the context, for the tasks `inputs` in order; `webhooks:
 * false` reads the tasks without recording their webhook events (for the benchmark that measures
 * what recording costs).
 */
export function createTasksStatements(call: ClaimedCall, projectId: string, inputs: CreateTaskInput[], options = { webhooks: true }) {
  const { organizationId, userId } = call.claim;
  const rows = inputs.map((input) => ({ ...input, id: uuidv7(), organizationId, projectId, createdById: userId }));
  const taskIds = rows.map((row) => row.id);
  const distinct = (field: 'epicId' | 'sprintId' | 'assigneeId') => [...new Set(inputs.flatMap((input) => input[field] ?? []))];
  const read = options.webhooks
    ? { statement: tasksRecorded.bind({ organizationId, ids: taskIds, occurredAt: new Date().toISOString() }), read: (result?: PipelineResult) => tasksRecorded.read(taskIds, result) }
    : repository.findTasksStatement(organizationId, taskIds);
  const assigneeIds = distinct('assigneeId');
  const checked = [
    limitLock.bind({ key: limitLockKey(organizationId, 'tasks'), organizationId, userId }),
    checks.bind({ organizationId, userId, projectId, epicIds: distinct('epicId'), sprintIds: distinct('sprintId'), count: inputs.length }),
    ...(assigneeIds.length > 0 ? [assigneesCheck.bind({ organizationId, assigneeIds })] : []),
  ];
  const readAt = checked.length + 1;
  // The tellers' event ids before the tasks' own, as the ordinary path takes them.
  const telling = tellingStatements(organizationId, userId, projectId, rows);
  const statements: PipelineStatement[] = [
    ...checked,
    repository.insertTasksStatement(rows),
    read.statement,
    watchingStatement(organizationId, userId, rows),
    ...telling,
    liveEvent.bind({ organizationId, events: JSON.stringify(withEventIds(taskIds.map((id) => ({ kind: 'task.created', projectId, id })))) }),
  ];
  return { statements, read: (results: PipelineResult[]) => read.read(results[readAt]) };
}

/** `createTasksStatements` for one task. */
export function createTaskStatements(call: ClaimedCall, projectId: string, input: CreateTaskInput, options = { webhooks: true }) {
  const { statements, read } = createTasksStatements(call, projectId, [input], options);
  return { statements, read: (results: PipelineResult[]) => read(results)[0] };
}

/**
 * Creates the tasks in one round trip, answering them in the order given, or undefined when a
 * check refused them (nothing was written; the ordinary create tells why).
 */
export async function createTasksInOneTrip(call: ClaimedCall, projectId: string, inputs: CreateTaskInput[]) {
  const { statements, read } = createTasksStatements(call, projectId, inputs);
  return runInOneTrip(call, statements, read);
}

/** `createTasksInOneTrip` for one task. */
export async function createTaskInOneTrip(call: ClaimedCall, projectId: string, input: CreateTaskInput) {
  const { statements, read } = createTaskStatements(call, projectId, input);
  return runInOneTrip(call, statements, read);
}
