import type { Role } from '../api/client';

/**
 * What the current member may do, mirroring src/auth/permissions.ts, so an action the server
 * would refuse is never offered.
 */
export function permissionsOf(role: Role) {
  return {
    /** Create and edit projects, tasks, epics, sprints, comments. */
    write: role !== 'viewer',
    /** Members, invitations, settings, deleting projects. */
    admin: role === 'owner' || role === 'admin',
    owner: role === 'owner',
  };
}

export type Permissions = ReturnType<typeof permissionsOf>;
