import { can } from '../../auth/permissions.js';
import type { ProjectMemberRole } from '../../db/schema/index.js';
import type { TenantScope } from '../../http/env.js';
import { seesEveryProject } from '../shared/project-access.js';

/** What the caller may do on a project they see, beyond reading it. */
export type ProjectPermissions = { comment: boolean; write: boolean; manage: boolean };

/**
 * The services' answer ahead of time, so a client offers only what will be allowed: the
 * organization role first (`requirePermission`: viewers never write), then the project role as
 * `requireProjectAccess` reads it (admins and owners everything; a project viewer nothing; a
 * stakeholder comments; leads and the project's owner manage). `myRole` is the caller's
 * project role, null when they are not on the project.
 */
export function projectPermissions(
  scope: Pick<TenantScope, 'role' | 'userId'>,
  project: { myRole: ProjectMemberRole | null; ownerId: string | null },
): ProjectPermissions {
  if (seesEveryProject(scope)) return { comment: true, write: true, manage: true };
  const comment = can(scope.role, 'work:write') && project.myRole !== 'viewer';
  const write = comment && project.myRole !== 'stakeholder';
  return { comment, write, manage: write && (project.myRole === 'lead' || project.ownerId === scope.userId) };
}
