import { TenantryError } from '../../errors.js';
import { actorOf, auditPage, describeAuditEntry } from '../activity/describe.js';
import { decodeAuditCursor } from '../audit-logs/cursor.js';
import { requireAccessVia } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { TaskHistoryFilter } from './schemas.js';

/**
 * Who changed what on a task, and when, from the audit trail: readable by every member (the
 * trail itself is admin-only), limited to the task's own row and its comments' rows.
 */
export async function listTaskHistory(call: ServiceCall, idOrRef: string, filter: TaskHistoryFilter) {
  requirePermission(call, 'read');
  const after = decodeAuditCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    const taskId = found(await repository.findTaskId(tx, organizationId, parseIdOrRef(idOrRef)), 'task');
    await requireAccessVia(tx, call.scope, 'task', taskId, 'read');
    return repository.listTaskHistory(tx, organizationId, taskId, { after, limit: filter.limit });
  });
  return auditPage(rows, filter.limit, toEntry);
}

export function parseIdOrRef(idOrRef: string): { id: string } | { key: string; number: number } {
  const ref = /^([A-Za-z][A-Za-z0-9]*)-(\d+)$/.exec(idOrRef);
  if (!ref) return { id: idOrRef };
  const number = Number(ref[2]);
  if (!Number.isSafeInteger(number) || number > 2_147_483_647) throw new TenantryError('not_found', 'task not found');
  return { key: (ref[1] ?? '').toUpperCase(), number };
}

function toEntry(row: repository.HistoryRow) {
  return { id: row.id, at: row.createdAt.toISOString(), actor: actorOf(row), ...describeAuditEntry(row) };
}
