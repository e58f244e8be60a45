import { type Placeholder, type SQL, and, eq, isNull, sql } from 'drizzle-orm';
import { ROLE_ORDER, can } from '../../auth/permissions.js';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { type WebhookEvent, epics, sprints, tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { withTenantPipeline } from '../../db/tenant-context.js';
import { sqlState } from '../../errors.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { recordEventsSql } from '../webhooks/repository.js';
import { webhookBodySql } from '../webhooks/service.js';
import * as repository from './repository.js';

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
 * `assertReferencesExist`'s check of an epic or a sprint id (null: nothing to check) against the
 * project `projectId`, a value or the column of a row the check reads.
 */
export function referenceExists(table: typeof epics | typeof sprints, id: Placeholder, projectId: Placeholder | SQL): SQL {
  const live = table === epics ? sql`and ${epics.deletedAt} is null` : sql``;
  return sql`(${id}::uuid is null or exists (select from ${table} where ${table.organizationId} = ${value('organizationId')}
    and ${table.projectId} = ${projectId} and ${table.id} = ${id}::uuid ${live}))`;
}

/**
 * `event` for the task `id` as it now is, recorded per subscriber for the webhook dispatcher,
 * its body built by the database, and only when someone listens (with no subscriber the statement reads the subscriptions' index
 * alone) and the task is live (one deleted between the check and the write was not changed).
 */
export function taskWebhookEventStatement(event: WebhookEvent) {
  return plainStatement<{ organizationId: string; id: string; occurredAt: string }>(
    recordEventsSql(value('organizationId'), event, (anySubscriber) => {
      const task = and(eq(tasks.organizationId, value('organizationId')), eq(tasks.id, value('id')), isNull(tasks.deletedAt), anySubscriber) as SQL;
      return sql`(${repository.selectTaskJson(task, (data) => webhookBodySql(event, value('organizationId'), value('occurredAt'), data))})`;
    }),
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
