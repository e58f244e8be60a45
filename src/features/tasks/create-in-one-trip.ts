import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { epics, sprints } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { insertAndNotifySql } from '../live-events/repository.js';
import { withEventIds } from '../live-events/service.js';
import { mentionedHandles } from '../notifications/service.js';
import { watchStatement } from '../notifications/repository.js';
import { limitLockKey, takeLimitLock, withinLimit } from '../plans/limits.js';
import { inGoodStanding } from '../plans/standing.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { referenceExists, refuseUnlessWriter, runInOneTrip, taskReadRecordingStatement } from './one-trip-write.js';
import * as repository from './repository.js';
import type { CreateTaskInput } from './schemas.js';

/*
 * A task create in one database round trip: the tenant context, the checks, the insert (its
 * audit row comes from the trigger), the creator's watch, the live event and the webhook
 * event for the dispatcher go out as one pipeline (db/pipeline.ts), one transaction. The
 * checks raise when any fails (one-trip-write.ts); the condition is the conjunction of the
 * ordinary create's checks, so it never lets through what they refuse.
 */

const value = sql.placeholder;

type CheckValues = { organizationId: string; userId: string; projectId: string; epicId: string | null; sprintId: string | null };

const ids = { organizationId: value('organizationId'), projectId: value('projectId'), userId: value('userId') };

/**
 * Every check of the ordinary create as one condition on the caller's membership row:
 * permission, project access, references, standing and the plan's task limit (its lock is taken
 * by the statement before this one, as `assertWithinLimit` takes it before counting).
 */
const checks = plainStatement<CheckValues>(
  refuseUnlessWriter(sql`${projectAccessSql(ids, sql`m.role`, 'write')}
        and ${referenceExists(epics, value('epicId'), value('projectId'))}
        and ${referenceExists(sprints, value('sprintId'), value('projectId'))}
        and ${inGoodStanding(value('organizationId'))}
        and ${withinLimit('tasks', value('organizationId'), 1)}`),
);

/** Members only: an outsider's refused create must not hold another organization's lock. */
const limitLock = plainStatement<{ key: string; organizationId: string; userId: string }>(
  sql`${takeLimitLock(value('key'))} from members m where m.organization_id = ${value('organizationId')} and m.user_id = ${value('userId')}`,
);

const liveEvent = plainStatement<{ organizationId: string; events: string }>(insertAndNotifySql(value('organizationId'), value('events')));

/** The task read for the answer, its `task.created` event recorded in the same statement. */
const taskRecorded = taskReadRecordingStatement('task.created');

/**
 * Whether a create can go in one round trip: not when it tells anyone (an assignee, a mention),
 * which takes the notifications' own reads and writes.
 */
export function createsInOneTrip(input: CreateTaskInput): boolean {
  return !input.assigneeId && mentionedHandles(input.description).length === 0;
}

/**
 * The pipeline's statements after the context; `webhooks: false` reads the task without
 * recording its webhook event (for the benchmark that measures what recording costs).
 */
export function createTaskStatements(call: ClaimedCall, projectId: string, input: CreateTaskInput, options = { webhooks: true }) {
  const { organizationId, userId } = call.claim;
  const id = uuidv7();
  const task = options.webhooks
    ? { statement: taskRecorded.bind({ organizationId, id, occurredAt: new Date().toISOString() }), read: taskRecorded.read }
    : repository.findTaskStatement(organizationId, { id });
  const statements: PipelineStatement[] = [
    limitLock.bind({ key: limitLockKey(organizationId, 'tasks'), organizationId, userId }),
    checks.bind({ organizationId, userId, projectId, epicId: input.epicId ?? null, sprintId: input.sprintId ?? null }),
    repository.insertTaskStatement({ ...input, id, organizationId, projectId, createdById: userId }),
    task.statement,
    watchStatement.bind({ organizationId, taskId: id, userId }),
    liveEvent.bind({ organizationId, events: JSON.stringify(withEventIds([{ kind: 'task.created', projectId, id }])) }),
  ];
  return { statements, read: (results: PipelineResult[]) => task.read(results[3]) };
}

/**
 * Creates the task in one round trip, or answers undefined when a check refused it (nothing was
 * written; the ordinary create tells why).
 */
export async function createTaskInOneTrip(call: ClaimedCall, projectId: string, input: CreateTaskInput) {
  const { statements, read } = createTaskStatements(call, projectId, input);
  return runInOneTrip(call, statements, read);
}
