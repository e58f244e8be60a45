import { type Placeholder, type SQL, and, eq, isNull, sql } from 'drizzle-orm';
import { ROLE_ORDER, type Role, can } from '../../auth/permissions.js';
import { comments, documents, epics, gaps, projectAssets, projectMembers, projects, sprints, tasks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import type { TenantScope } from '../../http/env.js';

/**
 * What a caller wants to do with a project: see it, discuss it (comments), change its content,
 * or manage it (its members, who sees it).
 */
export type ProjectNeed = 'read' | 'comment' | 'write' | 'manage';

/** Organization admins and owners see and change every project, private or not. */
export const seesEveryProject = (scope: Pick<TenantScope, 'role'>): boolean => can(scope.role, 'members:manage');

/** The join of a project to the user's own `project_members` row on it, for a left join: none when they are not on it. */
export const ownProjectRow = (userId: string) =>
  and(eq(projectMembers.organizationId, projects.organizationId), eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, userId));

/**
 * The service's own check of migration 0024's rule, ahead of the policies: 404 when the project
 * is missing, deleted, or private without the caller on it (exactly like a missing one); 403 when
 * a project `viewer` asks to change its content, and for `manage` unless the caller leads or owns
 * the project. Organization roles are checked by the callers' `requirePermission` as before.
 * Returns the project's key and visibility and the caller's project role.
 */
export async function requireProjectAccess(tx: Tx, scope: TenantScope, projectId: string, need: ProjectNeed) {
  const [row] = await tx
    .select({ key: projects.key, visibility: projects.visibility, ownerId: projects.ownerId, projectRole: projectMembers.role })
    .from(projects)
    .leftJoin(projectMembers, ownProjectRow(scope.userId))
    .where(and(eq(projects.organizationId, scope.organizationId), eq(projects.id, projectId), isNull(projects.deletedAt)));
  if (!row) throw new TenantryError('not_found', 'project not found');
  if (seesEveryProject(scope)) return row;
  if (row.visibility === 'private' && !row.projectRole) throw new TenantryError('not_found', 'project not found');
  if (need !== 'read' && row.projectRole === 'viewer') {
    throw new TenantryError('forbidden', 'a project viewer may not change this project');
  }
  if (need !== 'read' && need !== 'comment' && row.projectRole === 'stakeholder') {
    throw new TenantryError('forbidden', 'a project stakeholder may comment but not change this project');
  }
  if (need === 'manage' && row.projectRole !== 'lead' && row.ownerId !== scope.userId) {
    throw new TenantryError('forbidden', "only admins and the project's leads may manage it");
  }
  return row;
}

/** The project roles `requireProjectAccess` refuses for each need short of `manage`. */
const REFUSED_PROJECT_ROLES = { read: [], comment: ['viewer'], write: ['viewer', 'stakeholder'] } satisfies Record<Exclude<ProjectNeed, 'manage'>, string[]>;

/** The organization roles that see every project (`seesEveryProject`). */
const SEE_EVERY_PROJECT: Role[] = ROLE_ORDER.filter((role) => seesEveryProject({ role }));

/**
 * `requireProjectAccess`'s rule as one SQL condition, for a check sent in the same round trip
 * as the write it guards (`projectId` and `userId` may be columns of rows the check reads): true when the project is live and `role` (the caller's organization
 * role, as SQL) may `need` it. It only answers yes or no; the reason (404 or 403) is left to
 * `requireProjectAccess`, which the caller runs when the answer is no.
 */
export function projectAccessSql(
  ids: { organizationId: string | Placeholder | SQL; projectId: string | Placeholder | SQL; userId: string | Placeholder | SQL },
  role: SQL,
  need: Exclude<ProjectNeed, 'manage'>,
): SQL {
  const refused = sql.param(REFUSED_PROJECT_ROLES[need]);
  return sql`exists (
    select from ${projects}
      left join ${projectMembers} on ${projectMembers.organizationId} = ${projects.organizationId}
       and ${projectMembers.projectId} = ${projects.id} and ${projectMembers.userId} = ${ids.userId}
     where ${projects.organizationId} = ${ids.organizationId} and ${projects.id} = ${ids.projectId} and ${projects.deletedAt} is null
       and (${role} = any(${sql.param(SEE_EVERY_PROJECT)}::text[])
            or ((${projects.visibility} <> 'private' or ${projectMembers.role} is not null)
                and not coalesce(${projectMembers.role} = any(${refused}::text[]), false))))`;
}

/** The tables whose rows belong to one project, by what the API calls them. */
const OWNED = {
  task: tasks,
  document: documents,
  epic: epics,
  sprint: sprints,
  asset: projectAssets,
  gap: gaps,
} as const;

/**
 * `requireProjectAccess` for a row named by its own id (a task, a document…): 404 when the row
 * is missing or the caller may not see its project, 403 for a viewer's write. Soft-deleted rows
 * are left to the caller, which answers for them as before.
 */
export async function requireAccessVia(tx: Tx, scope: TenantScope, kind: keyof typeof OWNED, id: string, need: ProjectNeed) {
  const table = OWNED[kind];
  const [row] = await tx
    .select({ projectId: table.projectId })
    .from(table)
    .where(and(eq(table.organizationId, scope.organizationId), eq(table.id, id)));
  if (!row) throw new TenantryError('not_found', `${kind} not found`);
  return requireProjectAccess(tx, scope, row.projectId, need);
}

/** `requireAccessVia` for a comment, through its task. */
export async function requireCommentAccess(tx: Tx, scope: TenantScope, commentId: string, need: ProjectNeed) {
  const [row] = await tx
    .select({ taskId: comments.taskId })
    .from(comments)
    .where(and(eq(comments.organizationId, scope.organizationId), eq(comments.id, commentId)));
  if (!row) throw new TenantryError('not_found', 'comment not found');
  return requireAccessVia(tx, scope, 'task', row.taskId, need);
}
