import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { ROLE_ORDER, can } from '../../auth/permissions.js';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { type WebhookEvent, epics, sprints, tasks } from '../../db/schema/index.js';
import { withTenantPipeline } from '../../db/tenant-context.js';
import { sqlState } from '../../errors.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { recordEventsFromSql, whenSubscribed } from '../webhooks/repository.js';
import { webhookBodySql } from '../webhooks/service.js';
import * as repository from './repository.js';

export { FROM_NAMED_TASK_REF, NAMED_TASK, type NamedTaskValues, namedTaskValues, namingStatements } from './repository.js';

/*
 * What the one-round-trip task writes (create-in-one-trip.ts, update-in-one-trip.ts) share: the
 * raising check around the caller's membership, the reference checks, the webhook event
 * of the task just written, and the run that turns a refusal into "go the ordinary way".
 *
 * The writes cannot wait for the checks' answers without a second round trip, so the checks are
 * one statement that raises (app.refuse_write, migration 0034) when any fails, which aborts the
 * transaction before the writes run. It says only "no": the caller then runs the ordinary
 * write, whose checks find the reason and answer it exactly as before.
 */

/** SQLSTATE of `app.refuse_write`. */
const REFUSED = 'TW001';
const value = sql.placeholder;

/** Organization roles that may write work (`requirePermission(call, 'work:write')`). */
const WRITERS = ROLE_ORDER.filter((role) => can(role, 'work:write'));

/**
 * A statement that raises unless the caller (placeholders `organizationId`, `userId`) is a member
 * whose role may write work and `passes` holds of that membership row (`m`); `from` joins
 * whatever else the condition reads to it.
 */
export function refuseUnlessWriter(passes: SQL, from: SQL = sql``): SQL {
  return sql`
    select app.refuse_write('a check of a one-trip write did not pass')
     where not coalesce((
       select ${passes}
         from members m ${from}
        where m.organization_id = ${value('organizationId')} and m.user_id = ${value('userId')}
          and m.role = any(${sql.param(WRITERS)}::text[])), false)`;
}

/**
 * `refuseUnlessWriter` for a write to the live task `taskId` (by default the placeholder `id`;
 * repository.NAMED_TASK): it raises unless the task is in a project the caller may write (a
 * missing, deleted or private project refuses, as `findTask` and `requireProjectAccess` do) and
 * `passes` holds of it (`tasks` and the membership `m`).
 */
export function refuseUnlessTaskWriter(passes: SQL = sql`true`, taskId: SQL = repository.NAMED_TASK.id): SQL {
  // The task in the check's FROM: its project is what access and references are checked against.
  const theTask = sql`join ${tasks} on ${tasks.organizationId} = m.organization_id and ${tasks.id} = ${taskId} and ${tasks.deletedAt} is null`;
  const access = projectAccessSql({ organizationId: value('organizationId'), projectId: sql`${tasks.projectId}`, userId: value('userId') }, sql`m.role`, 'write');
  return refuseUnlessWriter(sql`${access} and ${passes}`, theTask);
}

/**
 * `assertReferencesExist`'s check of an epic or a sprint id (null: nothing to check) against the
 * project `projectId`, a value or the column of a row the check reads.
 */
export function referenceExists(table: typeof epics | typeof sprints, id: Placeholder, projectId: Placeholder | SQL): SQL {
  const live = table === epics ? sql`and ${epics.deletedAt} is null` : sql``;
  return sql`(${id}::uuid is null or exists (select from ${table} where ${table.organizationId} = ${value('organizationId')}
    and ${table.projectId} = ${projectId} and ${table.id} = ${id}::uuid ${live}))`;
}

/**
 * `assertReferencesExist`'s check of a batch's epic or sprint ids (`ids`, a uuid array without
 * repeats; empty: nothing to check): every one in the project `projectId`.
 */
export function referencesExist(table: typeof epics | typeof sprints, ids: Placeholder, projectId: Placeholder): SQL {
  const live = table === epics ? sql`and ${epics.deletedAt} is null` : sql``;
  return sql`((select count(*) from ${table} where ${table.organizationId} = ${value('organizationId')}
    and ${table.projectId} = ${projectId} and ${table.id} = any(${ids}::uuid[]) ${live}) = cardinality(${ids}::uuid[]))`;
}

/**
 * The task named `by` id or reference (repository.NAMED_TASK) as the API answers it
 * (`findTaskStatement`), read in the same statement that records `event` about it per
 * subscriber for the webhook dispatcher: the body is built by the database from the row read
 * for the answer, so the write reads the task (under RLS) once, and
 * only when someone listens (with no subscriber the statement also reads the subscriptions'
 * index, and builds no body). A task not live (deleted between the check and the write, so not
 * changed) is neither answered nor recorded.
 */
export function taskReadRecordingStatement(event: WebhookEvent, by: keyof typeof repository.NAMED_TASK = 'id') {
  return repository.findTaskAroundStatement<{ organizationId: string; occurredAt: string } & repository.NamedTaskValues>(
    (json) => whenSubscribed(webhookBodySql(event, value('organizationId'), value('occurredAt'), json)),
    (read) => recordEventsFromSql(value('organizationId'), event, read),
    by,
  );
}

/** `taskReadRecordingStatement` for the tasks `ids`, answered in that order: `event` is recorded for each. */
export function tasksReadRecordingStatement(event: WebhookEvent) {
  return repository.findTasksAroundStatement<{ organizationId: string; ids: string[]; occurredAt: string }>(
    (json) => whenSubscribed(webhookBodySql(event, value('organizationId'), value('occurredAt'), json)),
    (read) => recordEventsFromSql(value('organizationId'), event, read),
  );
}

/**
 * Sends `statements` (after the tenant context) as one round trip and reads the answer from
 * their results, or answers undefined when the check refused (nothing was written; the ordinary
 * write tells why). Any other failure is the database's, as ever.
 */
export async function runInOneTrip<T>(call: ClaimedCall, statements: PipelineStatement[], read: (results: PipelineResult[]) => T): Promise<T | undefined> {
  try {
    return read(await withTenantPipeline(call.db, { ...call.claim, requestId: call.requestId }, statements));
  } catch (error) {
    if (sqlState(error) === REFUSED) return undefined;
    throw error;
  }
}
