import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertWithinLimit } from '../plans/limits.js';
import { requireProjectAccess, seesEveryProject } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateProjectInput, ProjectListFilter, UpdateProjectInput } from './schemas.js';

export async function listProjects(call: ServiceCall, filter: ProjectListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listProjects(tx, call.scope.organizationId, {
      ...(filter.status ? { status: filter.status } : {}),
      includeArchived: filter.includeArchived === 'true',
      visibleTo: seesEveryProject(call.scope) ? null : call.scope.userId,
      afterId,
      limit: filter.limit,
    }),
  );
  return toPage(rows, filter.limit);
}

export async function getProject(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, id, 'read');
    return found(await repository.findProject(tx, call.scope.organizationId, id), 'project');
  });
}

export async function createProject(call: ServiceCall, input: CreateProjectInput) {
  requirePermission(call, 'work:write');
  return inTenant(call, async (tx) => {
    await assertWithinLimit(tx, call.scope.organizationId, 'projects');
    const project = await repository.insertProject(tx, call.scope.organizationId, call.scope.userId, input);
    if (project.visibility === 'private') await repository.insertLead(tx, call.scope.organizationId, project.id, call.scope.userId);
    return project;
  });
}

export async function updateProject(call: ServiceCall, id: string, input: UpdateProjectInput) {
  requirePermission(call, 'work:write');
  return inTenant(call, async (tx) => {
    // Who sees a project is decided by those who manage it.
    await requireProjectAccess(tx, call.scope, id, input.visibility === undefined ? 'write' : 'manage');
    return found(await repository.updateProject(tx, call.scope.organizationId, id, input), 'project');
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
    await requireProjectAccess(tx, call.scope, id, 'write');
    return found(await repository.updateProject(tx, call.scope.organizationId, id, changes), 'project');
  });
}
