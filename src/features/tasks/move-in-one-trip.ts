import { type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult } from '../../db/pipeline.js';
import { tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { isUuid } from '../../uuid.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { refuseUnlessTaskWriter, runInOneTrip, taskReadRecordingStatement } from './one-trip-write.js';
import type { MoveTaskInput } from './schemas.js';
import { taskUpdatedLiveEvent, tellingStatements } from './update-in-one-trip.js';

/*
 * A move (the board's drag) in one database round trip: the checks, the project's order lock,
 * the new position, the status change and whom it tells, the task read as the API answers it,
 * the live event and the webhook event go out as one pipeline, one transaction, as an update
 * does (update-in-one-trip.ts). The position is computed by the database, from the neighbours
 * it reads under the lock, with app.key_between (migration 0042), which gives the key the
 * ordinary move's generateKeyBetween gives. A check that refuses sends the move the ordinary
 * way, which tells why.
 */

const value = sql.placeholder;

type MoveValues = { organizationId: string; userId: string; id: string; afterId: string | null; beforeId: string | null };

/** A live task of the organization named by the placeholder `field`, as `n`. */
const neighbour = (field: 'afterId' | 'beforeId') =>
  sql`tasks n where n.organization_id = ${value('organizationId')}::uuid and n.id = ${value(field)}::uuid and n.deleted_at is null`;

/** A neighbour not given, or a live task of the same project that is not the task itself (else 404 or 400 the ordinary way). */
const fitting = (field: 'afterId' | 'beforeId') =>
  sql`(${value(field)}::uuid is null or (${value(field)}::uuid <> ${tasks.id}
       and exists (select from ${neighbour(field)} and n.project_id = ${tasks.projectId})))`;

/** The ordinary move's checks before the lock: permission, the task writable, each neighbour fitting. */
const checks = plainStatement<MoveValues>(refuseUnlessTaskWriter(sql`${fitting('afterId')} and ${fitting('beforeId')}`));

/** The position of the neighbour named by `field` (null when not given). */
const givenPosition = (field: 'afterId' | 'beforeId') => sql`(select n.position from ${neighbour(field)})`;

/**
 * The project's order lock (repository.lockProjectOrder, the insert triggers' lock), taken on
 * the coordinator under Citus as the ordinary move takes it: the project is a subquery's.
 */
const lockOrder = plainStatement<{ organizationId: string; id: string }>(
  sql`select from (select pg_advisory_xact_lock(hashtextextended('tasks:' || ${value('organizationId')}::text || ':' || (
        select ${tasks.projectId}::text from ${tasks} where ${tasks.organizationId} = ${value('organizationId')}::uuid and ${tasks.id} = ${value('id')}::uuid), 0))) locked`,
);

/** Under the lock, as the ordinary move checks it: with both neighbours given, afterId comes first in the project. */
const inOrder = plainStatement<MoveValues>(
  sql`select app.refuse_write('the neighbours of a one-trip move are out of order')
       where ${value('afterId')}::uuid is not null and ${value('beforeId')}::uuid is not null
         and not coalesce(${givenPosition('afterId')} < ${givenPosition('beforeId')}, false)`,
);

/**
 * The nearest live task of the moving task's project (the row being updated) on one side of
 * `bound` (none: the last), leaving the task itself out: repository.neighbourPosition.
 */
const nearest = (side: 'after' | 'before' | 'last', bound: SQL = sql`null`) => {
  const where = side === 'after' ? sql`and n.position > ${bound}` : side === 'before' ? sql`and n.position < ${bound}` : sql``;
  return sql`(select n.position from tasks n
               where n.organization_id = ${value('organizationId')}::uuid and n.project_id = ${tasks.projectId}
                 and n.deleted_at is null and n.id <> ${tasks.id} ${where}
               order by n.position ${side === 'after' ? sql`asc` : sql`desc`} limit 1)`;
};

/**
 * The ordinary move's slot: right after afterId, before whatever follows it now (the stale-view
 * rule, also when beforeId is given); else right before beforeId, after whatever precedes it;
 * else at the end.
 */
const after = sql`case when ${value('afterId')}::uuid is not null then ${givenPosition('afterId')}
                       when ${value('beforeId')}::uuid is not null then ${nearest('before', givenPosition('beforeId'))}
                       else ${nearest('last')} end`;
const before = sql`case when ${value('afterId')}::uuid is not null then ${nearest('after', givenPosition('afterId'))}
                        when ${value('beforeId')}::uuid is not null then ${givenPosition('beforeId')} end`;

/** The move itself, with or without a new status (a status not asked for is not written, so no trigger sees it). */
const moveStatement = (withStatus: boolean) =>
  plainStatement<{ organizationId: string; id: string; afterId: string | null; beforeId: string | null; status?: string }>(
    sql`update ${tasks} set position = app.key_between(${after}, ${before}) ${withStatus ? sql`, status = ${value('status')}::text` : sql``}
          from projects p
         where p.organization_id = ${tasks.organizationId} and p.id = ${tasks.projectId} and p.deleted_at is null
           and ${tasks.organizationId} = ${value('organizationId')}::uuid and ${tasks.id} = ${value('id')}::uuid and ${tasks.deletedAt} is null`,
  );
const move = moveStatement(false);
const moveWithStatus = moveStatement(true);

const taskRecorded = taskReadRecordingStatement('task.updated');

/** Whether a move can go in one round trip: the task named by id (a reference goes the ordinary way). */
export function movesInOneTrip(idOrRef: string): boolean {
  return isUuid(idOrRef);
}

/** The pipeline's statements after the context, and how to read the moved task from their results. */
export function moveTaskStatements(call: ClaimedCall, id: string, input: MoveTaskInput) {
  const { organizationId, userId } = call.claim;
  const values = { organizationId, userId, id, afterId: input.afterId ?? null, beforeId: input.beforeId ?? null };
  const statements = [
    checks.bind(values),
    lockOrder.bind({ organizationId, id }),
    inOrder.bind(values),
    ...tellingStatements(call, id, { status: input.status }),
    input.status ? moveWithStatus.bind({ ...values, status: input.status }) : move.bind(values),
    taskRecorded.bind({ organizationId, id, occurredAt: new Date().toISOString() }),
    taskUpdatedLiveEvent.bind({ organizationId, id, eventId: uuidv7() }),
  ];
  const readAt = statements.length - 2;
  return { statements, read: (results: PipelineResult[]) => taskRecorded.read(results[readAt]) };
}

/**
 * Moves the task in one round trip, or answers undefined when a check refused it (nothing was
 * written; the ordinary move tells why).
 */
export async function moveTaskInOneTrip(call: ClaimedCall, id: string, input: MoveTaskInput) {
  const { statements, read } = moveTaskStatements(call, id, input);
  return runInOneTrip(call, statements, read);
}
