import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import { decodeAuditCursor, encodeAuditCursor } from './cursor.js';
import * as repository from './repository.js';
import type { AuditLogListFilter } from './schemas.js';

/** The organization's audit trail, newest first (admins). Read-only: the trail cannot be rewritten. */
export async function listAuditLogs(call: ServiceCall, filter: AuditLogListFilter) {
  requirePermission(call, 'audit:read');
  const after = decodeAuditCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listAuditLogs(tx, call.scope.organizationId, {
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.resourceType ? { resourceType: filter.resourceType } : {}),
      ...(filter.resourceId ? { resourceId: filter.resourceId } : {}),
      ...(filter.from ? { from: new Date(filter.from) } : {}),
      ...(filter.to ? { to: new Date(filter.to) } : {}),
      after,
      limit: filter.limit,
    }),
  );
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ position: _position, ...entry }) => entry),
    nextCursor: rows.length > filter.limit && last ? encodeAuditCursor({ at: last.position, id: last.id }) : null,
  };
}
