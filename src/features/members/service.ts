import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { afterMembershipChanged } from '../billing/seats.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { MemberListFilter, UpdateMemberInput } from './schemas.js';

export async function listMembers(call: ServiceCall, filter: MemberListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listMembers(tx, call.scope.organizationId, {
      ...(filter.role ? { role: filter.role } : {}),
      afterId,
      limit: filter.limit,
    }),
  );
  return toPage(rows, filter.limit);
}

/** Ownership changes hands only between owners: admins manage everyone else. */
function requireOwnerFor(call: ServiceCall, what: string): void {
  if (call.scope.role !== 'owner') throw new TenantryError('forbidden', `only an owner may ${what}`);
}

/** Refuses to take away the organization's last owner. */
async function requireAnotherOwner(tx: Tx, organizationId: string, leavingMemberId: string): Promise<void> {
  const owners = await repository.lockOwners(tx, organizationId);
  if (!owners.some((id) => id !== leavingMemberId)) {
    throw new TenantryError('conflict', 'the organization must keep at least one owner; make someone else owner first');
  }
}

export async function changeRole(call: ServiceCall, userId: string, input: UpdateMemberInput) {
  requirePermission(call, 'members:manage');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    const member = found(await repository.findMember(tx, organizationId, userId), 'member');
    if (member.role === input.role) return member;
    if (member.role === 'owner' || input.role === 'owner') requireOwnerFor(call, 'grant or remove the owner role');
    if (member.role === 'owner') await requireAnotherOwner(tx, organizationId, member.id);
    await repository.updateMemberRole(tx, organizationId, userId, input.role);
    return found(await repository.findMember(tx, organizationId, userId), 'member');
  });
}

/** Admins remove people; anyone may leave. An owner is removed only by an owner, and never the last one. */
export async function removeMember(call: ServiceCall, userId: string): Promise<void> {
  const organizationId = call.scope.organizationId;
  await inTenant(call, async (tx) => {
    const member = found(await repository.findMember(tx, organizationId, userId), 'member');
    const leaving = member.userId === call.scope.userId;
    if (!leaving) requirePermission(call, 'members:manage');
    if (member.role === 'owner' && !leaving) requireOwnerFor(call, 'remove an owner');
    if (member.role === 'owner') await requireAnotherOwner(tx, organizationId, member.id);
    await repository.deleteMember(tx, organizationId, userId);
    await afterMembershipChanged(tx, organizationId);
  });
}
