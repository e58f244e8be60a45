import { withPlatform } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type SessionCall, inOrganization } from '../organizations/session-call.js';
import { assertWithinLimit } from '../plans/limits.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { InvitationRow } from './repository.js';
import type { CreateInvitationInput, InvitationListFilter } from './schemas.js';

const VALID_FOR_MS = 48 * 60 * 60 * 1000;

/** What the API shows: a pending invitation past its expiry reads as expired. */
export function view(invitation: InvitationRow, now = new Date()): InvitationRow {
  return invitation.status === 'pending' && invitation.expiresAt <= now ? { ...invitation, status: 'expired' } : invitation;
}

export async function listInvitations(call: ServiceCall, filter: InvitationListFilter) {
  requirePermission(call, 'invitations:manage');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listInvitations(tx, call.scope.organizationId, {
      ...(filter.status ? { status: filter.status } : {}),
      afterId,
      limit: filter.limit,
    }),
  );
  const page = toPage(rows, filter.limit);
  return { ...page, items: page.items.map((row) => view(row)) };
}

/**
 * Invites someone by email for 48 hours. An open invitation holds a seat: members plus open
 * invitations must fit the plan, so accepting never finds the organization full.
 */
export async function createInvitation(call: ServiceCall, input: CreateInvitationInput) {
  requirePermission(call, 'invitations:manage');
  if (input.role === 'owner' && call.scope.role !== 'owner') {
    throw new TenantryError('forbidden', 'only an owner may invite an owner');
  }
  const organizationId = call.scope.organizationId;
  const email = input.email.trim().toLowerCase();
  return inTenant(call, async (tx) => {
    // The first check takes the organization's member-limit lock (held until commit), so the
    // duplicate checks and the seat count below cannot race another inviter.
    await assertWithinLimit(tx, organizationId, 'members', 0);
    if (await repository.hasMemberWithEmail(tx, organizationId, email)) {
      throw new TenantryError('conflict', 'that person is already a member');
    }
    if (await repository.hasOpenInvitation(tx, organizationId, email)) {
      throw new TenantryError('conflict', 'that email already has an open invitation');
    }
    const open = await repository.countOpenInvitations(tx, organizationId);
    await assertWithinLimit(tx, organizationId, 'members', open + 1);
    const expiresAt = new Date(Date.now() + VALID_FOR_MS);
    return repository.insertInvitation(tx, organizationId, call.scope.userId, { email, role: input.role, expiresAt });
  });
}

export async function revokeInvitation(call: ServiceCall, id: string) {
  requirePermission(call, 'invitations:manage');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    const invitation = found(await repository.lockInvitation(tx, organizationId, id), 'invitation');
    if (invitation.status !== 'pending') throw new TenantryError('conflict', `the invitation is already ${invitation.status}`);
    return found(await repository.setInvitationStatus(tx, organizationId, id, 'canceled'), 'invitation');
  });
}

/**
 * The signed-in user accepts an invitation addressed to their own email and becomes a member
 * with the invited role. Someone else's invitation is 404, like a missing one; a used, revoked
 * or expired one is 409.
 */
export async function acceptInvitation(call: SessionCall, id: string) {
  const organizationId = found(
    await withPlatform(call.db, { userId: call.userId, requestId: call.requestId }, (tx) =>
      repository.findOrganizationInvitingUser(tx, id, call.userId),
    ),
    'invitation',
  );
  return inOrganization(call, organizationId, async (tx) => {
    const invitation = found(await repository.lockInvitation(tx, organizationId, id), 'invitation');
    const email = await repository.findUserEmail(tx, call.userId);
    if (email?.toLowerCase() !== invitation.email.toLowerCase()) throw new TenantryError('not_found', 'invitation not found');
    if (invitation.status === 'canceled') throw new TenantryError('conflict', 'the invitation was revoked');
    if (invitation.status !== 'pending') throw new TenantryError('conflict', `the invitation is already ${invitation.status}`);
    if (invitation.expiresAt <= new Date()) throw new TenantryError('conflict', 'the invitation has expired; ask for a new one');
    if (await repository.isMember(tx, organizationId, call.userId)) throw new TenantryError('conflict', 'you are already a member');
    // The invitation held a seat, but the plan may have shrunk since.
    await assertWithinLimit(tx, organizationId, 'members');
    await repository.insertMember(tx, organizationId, call.userId, invitation.role);
    return found(await repository.setInvitationStatus(tx, organizationId, id, 'accepted'), 'invitation');
  });
}
