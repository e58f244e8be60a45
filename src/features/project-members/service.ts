import { can } from '../../auth/permissions.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireProjectAccess } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { AddProjectMemberInput, ProjectMemberListFilter, UpdateProjectMemberInput } from './schemas.js';

/**
 * Who staffs a project: admins, and the project's own leads, meaning its owner or anyone on it
 * with the `lead` role, as long as their organization role lets them write (viewers never do).
 */
async function requireProjectManager(call: ServiceCall, tx: Tx, projectId: string): Promise<void> {
  if (!can(call.scope.role, 'work:write')) {
    await requireProjectAccess(tx, call.scope, projectId, 'read');
    throw new TenantryError('forbidden', "only admins and the project's leads may manage its members");
  }
  await requireProjectAccess(tx, call.scope, projectId, 'manage');
}

export async function listProjectMembers(call: ServiceCall, projectId: string, filter: ProjectMemberListFilter) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, projectId, 'read');
    return repository.listProjectMembers(tx, organizationId, projectId, {
      ...(filter.role ? { role: filter.role } : {}),
      afterId,
      limit: filter.limit,
    });
  });
  return toPage(rows, filter.limit);
}

/** Only members of the organization can join its projects; anyone else is 404, like a missing user. */
export async function addProjectMember(call: ServiceCall, projectId: string, input: AddProjectMemberInput) {
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await requireProjectManager(call, tx, projectId);
    if (!(await repository.isOrganizationMember(tx, organizationId, input.userId))) {
      throw new TenantryError('not_found', 'no such member in this organization');
    }
    await repository.insertProjectMember(tx, organizationId, projectId, input);
    return found(await repository.findProjectMember(tx, organizationId, projectId, input.userId), 'project member');
  });
}

export async function changeProjectRole(call: ServiceCall, projectId: string, userId: string, input: UpdateProjectMemberInput) {
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await requireProjectManager(call, tx, projectId);
    if (!(await repository.updateProjectMemberRole(tx, organizationId, projectId, userId, input.role))) {
      throw new TenantryError('not_found', 'project member not found');
    }
    return found(await repository.findProjectMember(tx, organizationId, projectId, userId), 'project member');
  });
}

export async function removeProjectMember(call: ServiceCall, projectId: string, userId: string): Promise<void> {
  const organizationId = call.scope.organizationId;
  await inTenant(call, async (tx) => {
    await requireProjectManager(call, tx, projectId);
    if (!(await repository.deleteProjectMember(tx, organizationId, projectId, userId))) {
      throw new TenantryError('not_found', 'project member not found');
    }
  });
}
