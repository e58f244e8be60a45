import { encodeAuditCursor } from '../audit-logs/cursor.js';

/**
 * Audit rows in words: what a person did to a row, and which of its fields changed, for the
 * task history and the project activity. Only the fields listed here are ever shown, with the
 * API's names; everything else (ids, numbers, timestamps, position keys, settings, storage keys,
 * comment bodies, document contents) stays in the admin-only audit log. The trail itself is
 * redacted of secrets by the trigger; this is the second, closed list.
 */

/** The row images of one audit entry, as the trail holds them. */
export type AuditImage = {
  resourceType: string;
  action: string;
  changedFields: string[] | null;
  oldValues: Record<string, unknown> | null;
  newValues: Record<string, unknown> | null;
};

/** An audit entry as the history and the activity read it: the images, when, and who (while a member). */
export type AuditEntryRow = AuditImage & {
  id: string;
  createdAt: Date;
  /** created_at to the microsecond, for the next page's cursor. */
  position: string;
  actorId: string | null;
  actorName: string | null;
  actorImage: string | null;
};

export const activityActions = ['created', 'updated', 'moved', 'deleted', 'restored', 'commented', 'comment_edited', 'comment_deleted'] as const;
export type ActivityAction = (typeof activityActions)[number];
export type FieldChange = { field: string; from: unknown; to: unknown };
export type Description = { action: ActivityAction; changes: FieldChange[] };

/** Audit column → API field, per table. A table missing here shows no field changes. */
const SHOWN_FIELDS: Record<string, Record<string, string>> = {
  tasks: {
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
  },
  projects: {
    name: 'name',
    key: 'key',
    description: 'description',
    status: 'status',
    owner_id: 'ownerId',
    start_date: 'startDate',
    end_date: 'endDate',
    archived_at: 'archivedAt',
  },
  project_members: { role: 'role' },
  epics: { title: 'title', description: 'description', status: 'status', owner_id: 'ownerId', start_date: 'startDate', target_date: 'targetDate' },
  sprints: { name: 'name', goal: 'goal', status: 'status', start_date: 'startDate', end_date: 'endDate', completed_at: 'completedAt' },
  documents: { title: 'title', slug: 'slug', document_type: 'type', status: 'status' },
  project_assets: { file_name: 'fileName', task_id: 'taskId' },
};

/** The action and the shown field changes of one audit entry. */
export function describeAuditEntry(row: AuditImage): Description {
  return row.resourceType === 'comments' ? describeComment(row) : describeRow(row);
}

function describeRow(row: AuditImage): Description {
  if (row.action === 'insert') return { action: 'created', changes: [] };
  const softDelete = softDeleteOf(row);
  if (softDelete) return { action: softDelete, changes: [] };
  const changed = row.changedFields ?? [];
  const shown = SHOWN_FIELDS[row.resourceType] ?? {};
  const changes = changed.flatMap((column) => {
    const field = shown[column];
    return field ? [{ field, from: row.oldValues?.[column] ?? null, to: row.newValues?.[column] ?? null }] : [];
  });
  // Only tasks have a position: a change of it is a drag on the board or in the backlog.
  return { action: changed.includes('position') ? 'moved' : 'updated', changes };
}

function describeComment(row: AuditImage): Description {
  if (row.action === 'insert') return { action: 'commented', changes: [] };
  return { action: softDeleteOf(row) === 'deleted' || row.action === 'delete' ? 'comment_deleted' : 'comment_edited', changes: [] };
}

/** A soft delete or restore is an update of deleted_at; name it for what it means. */
function softDeleteOf(row: AuditImage): 'deleted' | 'restored' | null {
  if (row.action === 'delete') return 'deleted';
  if (!row.changedFields?.includes('deleted_at')) return null;
  return row.newValues?.deleted_at ? 'deleted' : 'restored';
}

/** Who did it, as the entry shows them: null for the system or someone no longer a member (the users join finds only members). */
export function actorOf(row: { actorId: string | null; actorName: string | null; actorImage: string | null }) {
  return row.actorId && row.actorName !== null ? { id: row.actorId, name: row.actorName, image: row.actorImage } : null;
}

/** A page of entries from `limit + 1` rows newest first: the extra row only says that another page follows. */
export function auditPage<R extends { id: string; position: string }, T>(rows: R[], limit: number, toItem: (row: R) => T) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toItem),
    nextCursor: rows.length > limit && last ? encodeAuditCursor({ at: last.position, id: last.id }) : null,
  };
}
