import { TenantryError } from '../../errors.js';
import { decodeAuditCursor, encodeAuditCursor } from '../audit-logs/cursor.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { FieldChange, HistoryAction, TaskHistoryFilter } from './schemas.js';

/**
 * The task fields a history shows, audit column → API name. Everything else (ids, numbers,
 * timestamps, the position key) is bookkeeping or noise; comment bodies are left out so a
 * deleted comment's words do not live on in the history.
 */
const SHOWN_TASK_FIELDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  acceptance_criteria: 'acceptanceCriteria',
  type: 'type',
  status: 'status',
  priority: 'priority',
  story_points: 'storyPoints',
  assignee_id: 'assigneeId',
  epic_id: 'epicId',
  sprint_id: 'sprintId',
  due_date: 'dueDate',
};

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
    return repository.listTaskHistory(tx, organizationId, taskId, { after, limit: filter.limit });
  });
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items: items.map(toEntry),
    nextCursor: rows.length > filter.limit && last ? encodeAuditCursor({ at: last.position, id: last.id }) : null,
  };
}

function parseIdOrRef(idOrRef: string): { id: string } | { key: string; number: number } {
  const ref = /^([A-Za-z][A-Za-z0-9]*)-(\d+)$/.exec(idOrRef);
  if (!ref) return { id: idOrRef };
  const number = Number(ref[2]);
  if (!Number.isSafeInteger(number) || number > 2_147_483_647) throw new TenantryError('not_found', 'task not found');
  return { key: (ref[1] ?? '').toUpperCase(), number };
}

function toEntry(row: repository.HistoryRow) {
  const { action, changes } = row.resourceType === 'comments' ? describeComment(row) : describeTask(row);
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    actor: row.actorId && row.actorName !== null ? { id: row.actorId, name: row.actorName, image: row.actorImage } : null,
    action,
    changes,
  };
}

type Description = { action: HistoryAction; changes: FieldChange[] };

function describeTask(row: repository.HistoryRow): Description {
  if (row.action === 'insert') return { action: 'created', changes: [] };
  const changed = row.changedFields ?? [];
  const softDelete = softDeleteOf(row);
  if (softDelete) return { action: softDelete, changes: [] };
  const changes = changed.flatMap((column) => {
    const field = SHOWN_TASK_FIELDS[column];
    return field ? [{ field, from: row.oldValues?.[column] ?? null, to: row.newValues?.[column] ?? null }] : [];
  });
  return { action: changed.includes('position') ? 'moved' : 'updated', changes };
}

function describeComment(row: repository.HistoryRow): Description {
  if (row.action === 'insert') return { action: 'commented', changes: [] };
  return { action: softDeleteOf(row) === 'deleted' || row.action === 'delete' ? 'comment_deleted' : 'comment_edited', changes: [] };
}

/** A soft delete or restore is an update of deleted_at; name it for what it means. */
function softDeleteOf(row: repository.HistoryRow): 'deleted' | 'restored' | null {
  if (row.action === 'delete') return 'deleted';
  if (!row.changedFields?.includes('deleted_at')) return null;
  return row.newValues?.deleted_at ? 'deleted' : 'restored';
}
