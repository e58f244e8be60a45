import { type Placeholder, type SQL, and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { liveEvents } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** What a change announces: its kind and ids, never its content. */
export type LiveEventInput = { kind: string; projectId: string | null; id: string };
export type LiveEventRow = { eventId: string; kind: string; organizationId: string; projectId: string | null; id: string };

/** The channel every server process LISTENs on. */
export const LIVE_CHANNEL = 'tenantry_live_events';

/**
 * Keeps the events for replay and NOTIFYs each one, in one statement of the writing
 * transaction: PostgreSQL delivers the NOTIFY only if that transaction commits.
 */
export async function insertAndNotify(tx: Tx, organizationId: string, events: (LiveEventInput & { eventId: string })[]): Promise<void> {
  await tx.execute(insertAndNotifySql(organizationId, JSON.stringify(events)));
}

/**
 * `insertAndNotify`'s statement, with the events as JSON text (a placeholder in a statement built
 * once, or a subquery that builds them from a row the same transaction wrote). `before` are
 * common table expressions the events may read (`name as (…), …`), such as the write they announce.
 */
export function insertAndNotifySql(organizationId: string | Placeholder | SQL, eventsJson: string | Placeholder | SQL, before?: SQL): SQL {
  return sql`
    with ${before ? sql`${before},` : sql``} kept as (
      insert into live_events (organization_id, id, kind, project_id, resource_id)
      select ${organizationId}::uuid, e."eventId", e.kind, e."projectId", e.id
        from json_to_recordset(${eventsJson}::json) as e("eventId" uuid, kind text, "projectId" uuid, id uuid)
      returning id, kind, project_id, resource_id
    )
    select pg_notify(${LIVE_CHANNEL}, json_build_object(
             'eventId', id, 'kind', kind, 'organizationId', ${organizationId}::uuid, 'projectId', project_id, 'id', resource_id)::text)
      from kept order by id`;
}

/**
 * One event as `insertAndNotifySql` takes it, built by the database: for a statement that reads
 * the project or the id from a row (select it `from` that row).
 */
export function oneLiveEventJson(eventId: string | null | Placeholder | SQL, kind: string, projectId: SQL, id: SQL): SQL {
  return sql`json_build_array(json_build_object('eventId', ${eventId}::uuid, 'kind', ${kind}::text, 'projectId', ${projectId}, 'id', ${id}))`;
}

/** The organization's events after `afterEventId`, oldest first. */
export async function eventsAfter(tx: Tx, organizationId: string, afterEventId: string, limit: number): Promise<LiveEventRow[]> {
  return tx
    .select({
      eventId: liveEvents.id,
      kind: liveEvents.kind,
      organizationId: liveEvents.organizationId,
      projectId: liveEvents.projectId,
      id: liveEvents.resourceId,
    })
    .from(liveEvents)
    .where(and(eq(liveEvents.organizationId, organizationId), gt(liveEvents.id, afterEventId)))
    .orderBy(asc(liveEvents.id))
    .limit(limit);
}

/** Removes every organization's events older than `before` (platform work: spans tenants). */
export async function pruneEvents(tx: Tx, before: Date): Promise<void> {
  await tx.delete(liveEvents).where(lt(liveEvents.createdAt, before));
}
