import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { epics, sprints } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { insertAndNotifySql } from '../live-events/repository.js';
import { withEventIds } from '../live-events/service.js';
import { mentionedHandles } from '../notifications/service.js';
import { watchTasksStatement } from '../notifications/repository.js';
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

const liveEvent = plainStatement<{ organizationId: string; events: string }>(insertAndNotifySql(value('organizationId'), value('events')));

/** The tasks read for the answer, a `task.created` event for each recorded in the same statement. */
const tasksRecorded = tasksReadRecordingStatement('task.created');

/**
 * Whether a create can go in one round trip: not when it tells anyone (an assignee, a mention),
 * which takes the notifications' own reads and writes.
 */
export function createsInOneTrip(input: CreateTaskInput): boolean {
  return !input.assigneeId && mentionedHandles(input.description).length === 0;
}

/**
 * The pipeline's statements after the context, for the tasks `inputs` in order; `webhooks:
 * false` reads the tasks without recording their webhook events (for the benchmark that measures
 * what recording costs).
 */
export function createTasksStatements(call: ClaimedCall, projectId: string, inputs: CreateTaskInput[], options = { webhooks: true }) {
  const { organizationId, userId } = call.claim;
  const rows = inputs.map((input) => ({ ...input, id: uuidv7(), organizationId, projectId, createdById: userId }));
  const taskIds = rows.map((row) => row.id);
  const distinct = (field: 'epicId' | 'sprintId') => [...new Set(inputs.flatMap((input) => input[field] ?? []))];
  const read = options.webhooks
    ? { statement: tasksRecorded.bind({ organizationId, ids: taskIds, occurredAt: new Date().toISOString() }), read: (result?: PipelineResult) => tasksRecorded.read(taskIds, result) }
    : repository.findTasksStatement(organizationId, taskIds);
  const statements: PipelineStatement[] = [
    limitLock.bind({ key: limitLockKey(organizationId, 'tasks'), organizationId, userId }),
    checks.bind({ organizationId, userId, projectId, epicIds: distinct('epicId'), sprintIds: distinct('sprintId'), count: inputs.length }),
    repository.insertTasksStatement(rows),
    read.statement,
    watchTasksStatement.bind({ organizationId, taskIds, userId }),
    liveEvent.bind({ organizationId, events: JSON.stringify(withEventIds(taskIds.map((id) => ({ kind: 'task.created', projectId, id })))) }),
  ];
  return { statements, read: (results: PipelineResult[]) => read.read(results[3]) };
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
