import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertWithinLimit } from '../plans/limits.js';
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
      afterId,
      limit: filter.limit,
    }),
  );
  return toPage(rows, filter.limit);
}

export async function getProject(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return found(await inTenant(call, (tx) => repository.findProject(tx, call.scope.organizationId, id)), 'project');
}

export async function createProject(call: ServiceCall, input: CreateProjectInput) {
  requirePermission(call, 'work:write');
  return inTenant(call, async (tx) => {
    await assertWithinLimit(tx, call.scope.organizationId, 'projects');
    return repository.insertProject(tx, call.scope.organizationId, call.scope.userId, input);
  });
}

export async function updateProject(call: ServiceCall, id: string, input: UpdateProjectInput) {
  requirePermission(call, 'work:write');
  return found(await inTenant(call, (tx) => repository.updateProject(tx, call.scope.organizationId, id, input)), 'project');
}

/** An archived project is hidden from lists by default and accepts no new tasks, sprints, epics or documents (migration 0011). */
export async function archiveProject(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  const changes = { archivedAt: new Date() };
  return found(await inTenant(call, (tx) => repository.updateProject(tx, call.scope.organizationId, id, changes)), 'project');
}

/** The inverse of archive: the project shows in lists again and accepts new work. */
export async function unarchiveProject(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  const changes = { archivedAt: null };
  return found(await inTenant(call, (tx) => repository.updateProject(tx, call.scope.organizationId, id, changes)), 'project');
}

/** Soft delete: the row stays for the audit trail, hidden from every read. */
export async function deleteProject(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'settings:manage');
  const changes = { deletedAt: new Date() };
  found(await inTenant(call, (tx) => repository.updateProject(tx, call.scope.organizationId, id, changes)), 'project');
}
