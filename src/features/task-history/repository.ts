import { type SQL, and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { auditLogs, comments, projects, tasks, users } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { AuditEntryRow } from '../activity/describe.js';
import type { AuditCursor } from '../audit-logs/cursor.js';

/** A live task of a live project, found by id or by reference (`ACME-7`). */
export async function findTaskId(tx: Tx, organizationId: string, idOrRef: { id: string } | { key: string; number: number }): Promise<string | undefined> {
  const which: SQL | undefined =
    'id' in idOrRef ? eq(tasks.id, idOrRef.id) : and(eq(projects.key, idOrRef.key), eq(tasks.number, idOrRef.number));
  const [row] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(projects, and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId), isNull(projects.deletedAt)))
    .where(and(eq(tasks.organizationId, organizationId), isNull(tasks.deletedAt), which));
  return row?.id;
}

export type HistoryRow = AuditEntryRow;

/**
 * The audit entries of one task's row and of its comments' rows, newest first. Only those rows:
 * the comment ids come from the comments table of the same task and tenant. The users join
 * passes the users policy only for people who are members of this organization.
 */
export async function listTaskHistory(
  tx: Tx,
  organizationId: string,
  taskId: string,
  page: { after: AuditCursor | null; limit: number },
): Promise<HistoryRow[]> {
  const commentIds = sql`array(select ${comments.id} from ${comments} where ${comments.organizationId} = ${organizationId} and ${comments.taskId} = ${taskId})`;
  return tx
    .select({
      id: auditLogs.id,
      resourceType: auditLogs.resourceType,
      action: auditLogs.action,
      changedFields: auditLogs.changedFields,
      oldValues: auditLogs.oldValues,
      newValues: auditLogs.newValues,
      createdAt: auditLogs.createdAt,
      position: sql<string>`to_char(${auditLogs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      actorId: users.id,
      actorName: users.name,
      actorImage: users.image,
    })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.actorUserId))
    .where(
      and(
        eq(auditLogs.organizationId, organizationId),
        or(
          and(eq(auditLogs.resourceType, 'tasks'), eq(auditLogs.resourceId, taskId)),
          and(eq(auditLogs.resourceType, 'comments'), sql`${auditLogs.resourceId} = any(${commentIds})`),
        ),
        page.after ? sql`(${auditLogs.createdAt}, ${auditLogs.id}) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(page.limit + 1);
}
