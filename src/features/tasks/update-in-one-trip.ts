import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult } from '../../db/pipeline.js';
import { epics, sprints, tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { isUuid } from '../../uuid.js';
import { insertAndNotifySql } from '../live-events/repository.js';
import { mentionedHandles } from '../notifications/service.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { referenceExists, refuseUnlessWriter, runInOneTrip, taskReadRecordingStatement } from './one-trip-write.js';
import * as repository from './repository.js';
import type { UpdateTaskInput } from './schemas.js';

/*
 * A task update in one database round trip: the tenant context, the checks, the update (its
 * audit row, hence the task's history entry, comes from the trigger), the task read as the API
 * answers it, the live event and the webhook event go out as one pipeline, one transaction.
 * The checks raise when any fails (one-trip-write.ts), and the ordinary update then answers.
 *
 * Only an update that tells no one goes this way: the ordinary path's notifications (a new
 * assignee, watchers told of a new status, people newly mentioned) compare the row before the
 * change with the row after it in TypeScript, which a pipeline cannot do without reading first.
 */

const value = sql.placeholder;

type CheckValues = { organizationId: string; userId: string; id: string; epicId: string | null; sprintId: string | null };

/** The live task being changed, in the check's FROM: its project is what access and references are checked against. */
const theTask = sql`join ${tasks} on ${tasks.organizationId} = m.organization_id and ${tasks.id} = ${value('id')} and ${tasks.deletedAt} is null`;

/**
 * Every check of the ordinary update as one condition on the caller's membership row and the
 * task: permission, the task live in a project the caller may write (a missing, deleted or
 * private project refuses, as `findTask` and `requireProjectAccess` do), epic and sprint in
 * that project.
 */
const checks = plainStatement<CheckValues>(
  refuseUnlessWriter(
    sql`${projectAccessSql({ organizationId: value('organizationId'), projectId: sql`${tasks.projectId}`, userId: value('userId') }, sql`m.role`, 'write')}
        and ${referenceExists(epics, value('epicId'), sql`${tasks.projectId}`)}
        and ${referenceExists(sprints, value('sprintId'), sql`${tasks.projectId}`)}`,
    theTask,
  ),
);

/**
 * `task.updated` on the live stream: the project comes from the row, which the request does not
 * name; a task deleted between the check and the write (so not changed) announces nothing.
 */
const liveEvent = plainStatement<{ organizationId: string; id: string; eventId: string }>(
  insertAndNotifySql(
    value('organizationId'),
    sql`(select json_build_array(json_build_object('eventId', ${value('eventId')}::uuid, 'kind', 'task.updated', 'projectId', ${tasks.projectId}, 'id', ${tasks.id}))
           from ${tasks} where ${tasks.organizationId} = ${value('organizationId')} and ${tasks.id} = ${value('id')} and ${tasks.deletedAt} is null)`,
  ),
);

/** The task read for the answer, its `task.updated` event recorded in the same statement. */
const taskRecorded = taskReadRecordingStatement('task.updated');

/**
 * Whether an update can go in one round trip: the task named by id (a reference goes the
 * ordinary way), and nothing that may tell anyone: no status (its watchers hear of a change),
 * no assignee but null (a new one is told), no mention in a new description.
 */
export function updatesInOneTrip(idOrRef: string, input: UpdateTaskInput): boolean {
  return isUuid(idOrRef) && input.status === undefined && !input.assigneeId && mentionedHandles(input.description).length === 0;
}

/** The pipeline's statements after the context, and how to read the changed task from their results. */
export function updateTaskStatements(call: ClaimedCall, id: string, input: UpdateTaskInput) {
  const { organizationId, userId } = call.claim;
  const statements = [
    checks.bind({ organizationId, userId, id, epicId: input.epicId ?? null, sprintId: input.sprintId ?? null }),
    repository.updateTaskStatement(organizationId, id, input),
    taskRecorded.bind({ organizationId, id, occurredAt: new Date().toISOString() }),
    liveEvent.bind({ organizationId, id, eventId: uuidv7() }),
  ];
  return { statements, read: (results: PipelineResult[]) => taskRecorded.read(results[2]) };
}

/**
 * Changes the task in one round trip, or answers undefined when a check refused it (nothing was
 * written; the ordinary update tells why).
 */
export async function updateTaskInOneTrip(call: ClaimedCall, id: string, input: UpdateTaskInput) {
  const { statements, read } = updateTaskStatements(call, id, input);
  return runInOneTrip(call, statements, read);
}
