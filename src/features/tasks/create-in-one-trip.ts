import { type Placeholder, type SQL, and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { ROLE_ORDER, can } from '../../auth/permissions.js';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { epics, sprints, tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { withTenantPipeline } from '../../db/tenant-context.js';
import { sqlState } from '../../errors.js';
import { insertAndNotifySql } from '../live-events/repository.js';
import { withEventIds } from '../live-events/service.js';
import { mentionedHandles } from '../notifications/service.js';
import { watchStatement } from '../notifications/repository.js';
import { limitLockKey, takeLimitLock, withinLimit } from '../plans/limits.js';
import { inGoodStanding } from '../plans/standing.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { enqueueSql } from '../webhooks/repository.js';
import { webhookBodySql } from '../webhooks/service.js';
import * as repository from './repository.js';
import type { CreateTaskInput } from './schemas.js';

/*
 * A task create in one database round trip: the tenant context, the checks, the insert (its
 * audit row comes from the trigger), the creator's watch, the live event and the webhook
 * deliveries with their jobs go out as one pipeline (db/pipeline.ts), one transaction.
 *
 * The writes cannot wait for the checks' answers without a second round trip, so the checks are
 * one statement that raises (app.refuse_write, migration 0034) when any fails, which aborts the
 * transaction before the writes run. It says only "no": the caller then runs the ordinary
 * create, whose checks find the reason and answer it exactly as before. The condition is the
 * conjunction of the ordinary create's checks, so it never lets through what they refuse.
 */

const REFUSED = 'TW001';
const value = sql.placeholder;

/** Organization roles that may write work (`requirePermission(call, 'work:write')`). */
const WRITERS = ROLE_ORDER.filter((role) => can(role, 'work:write'));

type CheckValues = { organizationId: string; userId: string; projectId: string; epicId: string | null; sprintId: string | null };

/** The reference checks of `assertReferencesExist` for an epic and a sprint (an assignee sends the create the ordinary way). */
const referenceExists = (table: typeof epics | typeof sprints, id: Placeholder): SQL => {
  const live = table === epics ? sql`and ${epics.deletedAt} is null` : sql``;
  return sql`(${id}::uuid is null or exists (select from ${table} where ${table.organizationId} = ${value('organizationId')}
    and ${table.projectId} = ${value('projectId')} and ${table.id} = ${id}::uuid ${live}))`;
};

const ids = { organizationId: value('organizationId'), projectId: value('projectId'), userId: value('userId') };

/**
 * Every check of the ordinary create as one condition on the caller's membership row:
 * permission, project access, references, standing and the plan's task limit (its lock is taken
 * by the statement before this one, as `assertWithinLimit` takes it before counting).
 */
const checks = plainStatement<CheckValues>(sql`
  select app.refuse_write('a check of the one-trip create did not pass')
   where not coalesce((
     select ${projectAccessSql(ids, sql`m.role`, 'write')}
        and ${referenceExists(epics, value('epicId'))}
        and ${referenceExists(sprints, value('sprintId'))}
        and ${inGoodStanding(value('organizationId'))}
        and ${withinLimit('tasks', value('organizationId'), 1)}
       from members m
      where m.organization_id = ${value('organizationId')} and m.user_id = ${value('userId')}
        and m.role = any(${sql.param(WRITERS)}::text[])), false)`);

/** Members only: an outsider's refused create must not hold another organization's lock. */
const limitLock = plainStatement<{ key: string; organizationId: string; userId: string }>(
  sql`${takeLimitLock(value('key'))} from members m where m.organization_id = ${value('organizationId')} and m.user_id = ${value('userId')}`,
);

const liveEvent = plainStatement<{ organizationId: string; events: string }>(insertAndNotifySql(value('organizationId'), value('events')));

/**
 * The deliveries of `task.created` for the task just inserted, its body built by the database,
 * and only when someone listens: with no subscriber the statement reads the subscriptions' index alone.
 */
const webhookDeliveries = plainStatement<{ organizationId: string; id: string; occurredAt: string }>(
  enqueueSql(value('organizationId'), 'task.created', (anySubscriber) => {
    const task = and(eq(tasks.organizationId, value('organizationId')), eq(tasks.id, value('id')), anySubscriber) as SQL;
    return sql`(${repository.selectTaskJson(task, (data) => webhookBodySql('task.created', value('organizationId'), value('occurredAt'), data))})`;
  }),
);

/**
 * Whether a create can go in one round trip: not when it tells anyone (an assignee, a mention),
 * which takes the notifications' own reads and writes.
 */
export function createsInOneTrip(input: CreateTaskInput): boolean {
  return !input.assigneeId && mentionedHandles(input.description).length === 0;
}

/**
 * The pipeline's statements after the context; `webhooks: false` leaves the deliveries out
 * (for the benchmark that measures what they cost).
 */
export function createTaskStatements(call: ClaimedCall, projectId: string, input: CreateTaskInput, options = { webhooks: true }) {
  const { organizationId, userId } = call.claim;
  const id = uuidv7();
  const task = repository.findTaskStatement(organizationId, { id });
  const statements: PipelineStatement[] = [
    limitLock.bind({ key: limitLockKey(organizationId, 'tasks'), organizationId, userId }),
    checks.bind({ organizationId, userId, projectId, epicId: input.epicId ?? null, sprintId: input.sprintId ?? null }),
    repository.insertTaskStatement({ ...input, id, organizationId, projectId, createdById: userId }),
    task.statement,
    watchStatement.bind({ organizationId, taskId: id, userId }),
    liveEvent.bind({ organizationId, events: JSON.stringify(withEventIds([{ kind: 'task.created', projectId, id }])) }),
  ];
  if (options.webhooks) statements.push(webhookDeliveries.bind({ organizationId, id, occurredAt: new Date().toISOString() }));
  return { statements, read: (results: PipelineResult[]) => task.read(results[3]) };
}

/**
 * Creates the task in one round trip, or answers undefined when a check refused it (nothing was
 * written; the ordinary create tells why). Any other failure is the database's, as ever.
 */
export async function createTaskInOneTrip(call: ClaimedCall, projectId: string, input: CreateTaskInput) {
  const { statements, read } = createTaskStatements(call, projectId, input);
  try {
    return read(await withTenantPipeline(call.db, { ...call.claim, requestId: call.requestId }, statements));
  } catch (error) {
    if (sqlState(error) === REFUSED) return undefined;
    throw error;
  }
}
