import type { ProjectMemberRole } from '../../db/schema/index.js';
import type { TenantScope } from '../../http/env.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertWithinLimit } from '../plans/limits.js';
import { requireProjectAccess, seesEveryProject } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import { projectPermissions } from './permissions.js';
import * as repository from './repository.js';
import type { CreateProjectInput, ProjectListFilter, UpdateProjectInput } from './schemas.js';

/** A project as every read answers it: with the caller's project role and what it lets them do. */
function forCaller(scope: TenantScope, row: repository.ProjectRow, myRole: ProjectMemberRole | null) {
  return { ...row, myRole, permissions: projectPermissions(scope, { myRole, ownerId: row.ownerId }) };
}

export async function listProjects(call: ServiceCall, filter: ProjectListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listProjects(tx, call.scope.organizationId, {
      ...(filter.status ? { status: filter.status } : {}),
      includeArchived: filter.includeArchived === 'true',
      userId: call.scope.userId,
      seesEveryProject: seesEveryProject(call.scope),
      afterId,
      limit: filter.limit,
    }),
  );
  const page = toPage(rows, filter.limit);
  return { ...page, items: page.items.map((row) => forCaller(call.scope, row, row.myRole)) };
}

export async function getProject(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    const access = await requireProjectAccess(tx, call.scope, id, 'read');
    return forCaller(call.scope, found(await repository.findProject(tx, call.scope.organizationId, id), 'project'), access.projectRole);
  });
}

export async function createProject(call: ServiceCall, input: CreateProjectInput) {
  requirePermission(call, 'work:write');
  return inTenant(call, async (tx) => {
    await assertWithinLimit(tx, call.scope.organizationId, 'projects');
    const project = await repository.insertProject(tx, call.scope.organizationId, call.scope.userId, input);
    if (project.visibility !== 'private') return forCaller(call.scope, project, null);
    await repository.insertLead(tx, call.scope.organizationId, project.id, call.scope.userId);
    return forCaller(call.scope, project, 'lead');
  });
}

export async function updateProject(call: ServiceCall, id: string, input: UpdateProjectInput) {
  requirePermission(call, 'work:write');
  return inTenant(call, async (tx) => {
    // Who sees a project is decided by those who manage it.
    const access = await requireProjectAccess(tx, call.scope, id, input.visibility === undefined ? 'write' : 'manage');
    return forCaller(call.scope, found(await repository.updateProject(tx, call.scope.organizationId, id, input), 'project'), access.projectRole);
  });
}

/** An archived project is hidden from lists by default and accepts no new tasks, sprints, epics or documents (migration 0011). */
export async function archiveProject(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  return changeProject(call, id, { archivedAt: new Date() });
}

/** The inverse of archive: the project shows in lists again and accepts new work. */
export async function unarchiveProject(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  return changeProject(call, id, { archivedAt: null });
}

/** Soft delete: the row stays for the audit trail, hidden from every read. */
export async function deleteProject(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'settings:manage');
  await changeProject(call, id, { deletedAt: new Date() });
}

/** A change to a project the caller may write to (404 when they may not see it). */
function changeProject(call: ServiceCall, id: string, changes: Parameters<typeof repository.updateProject>[3]) {
  return inTenant(call, async (tx) => {
    const access = await requireProjectAccess(tx, call.scope, id, 'write');
    return forCaller(call.scope, found(await repository.updateProject(tx, call.scope.organizationId, id, changes), 'project'), access.projectRole);
  });
}
