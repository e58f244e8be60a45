import { decodeAuditCursor } from '../audit-logs/cursor.js';
import { requireLiveProject } from '../shared/live-project.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import { actorOf, auditPage, describeAuditEntry } from './describe.js';
import * as repository from './repository.js';
import type { ActivitySubjectType, ProjectActivityFilter } from './schemas.js';

const SUBJECT_TYPES: Record<repository.ActivityTable, ActivitySubjectType> = {
  projects: 'project',
  project_members: 'project_member',
  epics: 'epic',
  sprints: 'sprint',
  tasks: 'task',
  comments: 'comment',
  documents: 'document',
  project_assets: 'asset',
};

/** The column that names a row of each table, read from its image in the trail (as it was then). */
const NAME_COLUMNS: Partial<Record<repository.ActivityTable, string>> = { projects: 'name', epics: 'title', sprints: 'name', documents: 'title', project_assets: 'file_name' };

/**
 * A project's activity for every member (the audit trail itself is admin-only): who created,
 * changed, commented on, moved or deleted what among the project's rows, in words and shown
 * fields only, newest first.
 */
export async function listProjectActivity(call: ServiceCall, projectId: string, filter: ProjectActivityFilter) {
  requirePermission(call, 'read');
  const after = decodeAuditCursor(filter.cursor);
  const { organizationId } = call.scope;
  const { rows, projectKey } = await inTenant(call, async (tx) => {
    const project = await requireLiveProject(tx, call.scope, projectId);
    return { rows: await repository.listProjectActivity(tx, organizationId, projectId, { after, limit: filter.limit }), projectKey: project.key };
  });
  return auditPage(rows, filter.limit, (row) => ({
    id: row.id,
    at: row.createdAt.toISOString(),
    actor: actorOf(row),
    ...describeAuditEntry(row),
    subject: subjectOf(row, projectKey),
  }));
}

function subjectOf(row: repository.ActivityRow, projectKey: string) {
  const image = row.newValues ?? row.oldValues ?? {};
  const text = (column: string | undefined) => {
    const value = column ? image[column] : undefined;
    return typeof value === 'string' ? value : null;
  };
  const ownTask = row.resourceType === 'tasks' ? { number: image.number, title: text('title') } : null;
  const taskNumber = row.taskNumber ?? (typeof ownTask?.number === 'number' ? ownTask.number : null);
  return {
    type: SUBJECT_TYPES[row.resourceType],
    id: row.resourceId,
    name:
      row.resourceType === 'tasks' || row.resourceType === 'comments'
        ? (row.taskTitle ?? ownTask?.title ?? null)
        : row.resourceType === 'project_members'
          ? row.memberName
          : text(NAME_COLUMNS[row.resourceType]),
    taskRef: taskNumber === null ? null : `${projectKey}-${taskNumber}`,
    documentSlug: row.resourceType === 'documents' ? text('slug') : null,
  };
}
