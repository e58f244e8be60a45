import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { auditLogs } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { AuditCursor } from './cursor.js';

const entry = {
  id: auditLogs.id,
  organizationId: auditLogs.organizationId,
  actorUserId: auditLogs.actorUserId,
  action: auditLogs.action,
  resourceType: auditLogs.resourceType,
  resourceId: auditLogs.resourceId,
  changedFields: auditLogs.changedFields,
  oldValues: auditLogs.oldValues,
  newValues: auditLogs.newValues,
  ipAddress: auditLogs.ipAddress,
  userAgent: auditLogs.userAgent,
  requestId: auditLogs.requestId,
  createdAt: auditLogs.createdAt,
  /** created_at to the microsecond, in one fixed format, for the next page's cursor. */
  position: sql<string>`to_char(${auditLogs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

export type AuditLogRow = Omit<typeof auditLogs.$inferSelect, 'updatedAt'> & { position: string };

export type AuditLogFilter = {
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
  after: AuditCursor | null;
  limit: number;
};

/** Newest first; the index on (organization_id, created_at desc) serves it. */
export async function listAuditLogs(tx: Tx, organizationId: string, filter: AuditLogFilter): Promise<AuditLogRow[]> {
  return tx
    .select(entry)
    .from(auditLogs)
    .where(
      and(
        eq(auditLogs.organizationId, organizationId),
        filter.actorId ? eq(auditLogs.actorUserId, filter.actorId) : undefined,
        filter.resourceType ? eq(auditLogs.resourceType, filter.resourceType) : undefined,
        filter.resourceId ? eq(auditLogs.resourceId, filter.resourceId) : undefined,
        filter.from ? gte(auditLogs.createdAt, filter.from) : undefined,
        filter.to ? lt(auditLogs.createdAt, filter.to) : undefined,
        filter.after
          ? sql`(${auditLogs.createdAt}, ${auditLogs.id}) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(filter.limit + 1);
}
