/** Organization roles, weakest first: each role can do everything the ones before it can. */
export const ROLE_ORDER = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLE_ORDER)[number];

/**
 * The permission matrix (documented in the README): the weakest role allowed to do each thing.
 * Viewers read; members create and edit work items; admins manage people, integrations and
 * settings; owners manage billing and can delete the organization.
 */
export const PERMISSIONS = {
  read: 'viewer',
  'work:write': 'member',
  'members:manage': 'admin',
  'invitations:manage': 'admin',
  'integrations:manage': 'admin',
  'ai-providers:manage': 'admin',
  'settings:manage': 'admin',
  /** Bring back soft-deleted rows within the retention period (src/features/restore). */
  'deleted:restore': 'admin',
  'audit:read': 'admin',
  /** The organization's outgoing mail and whether it was sent (src/features/mail-deliveries). */
  'mail:read': 'admin',
  'billing:manage': 'owner',
  'organization:delete': 'owner',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: string): value is Role {
  return (ROLE_ORDER as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(PERMISSIONS[permission]);
}
