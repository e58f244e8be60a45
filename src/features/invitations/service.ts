import { type Tx, withPlatform } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { sendMail } from '../../mail/send.js';
import { mailLocale, renderMail } from '../../mail/templates.js';
import { type SessionCall, inOrganization } from '../organizations/session-call.js';
import { afterMembershipChanged } from '../billing/seats.js';
import { afterInvitationAccepted } from '../notifications/service.js';
import { assertWithinLimit } from '../plans/limits.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import { assertResendAllowed } from './resend-limit.js';
import type { InvitationRow } from './repository.js';
import type { CreateInvitationInput, InvitationListFilter } from './schemas.js';

const VALID_FOR_MS = 48 * 60 * 60 * 1000;

/** Where links in mail point: the public origin (BASE_URL). */
export type Links = { baseUrl: string };

/** The invitee's language: their account's if they have one, else the organization's, else English. */
async function inviteeLanguage(call: ServiceCall, email: string): Promise<string | undefined> {
  return withPlatform(call.db, { userId: call.scope.userId, requestId: call.requestId }, (tx) => repository.findLanguageOfEmail(tx, email));
}

/**
 * Queues the invitation mail in the transaction that made or renewed the invitation, so the
 * mail exists exactly when the invitation does; the link is `{BASE_URL}/invitations/{id}`.
 */
async function mailInvitation(tx: Tx, call: ServiceCall, invitation: InvitationRow, language: string | undefined, links: Links) {
  const organizationId = call.scope.organizationId;
  const context = found(await repository.findInvitationMailContext(tx, organizationId, call.scope.userId), 'organization');
  const vars = {
    organizationName: context.organizationName,
    inviterName: context.inviterName,
    role: invitation.role,
    link: `${links.baseUrl}/invitations/${invitation.id}`,
    expiresAt: invitation.expiresAt,
  };
  await sendMail(tx, {
    to: invitation.email,
    template: 'invitation',
    organizationId,
    requestedBy: call.scope.userId,
    ...renderMail('invitation', mailLocale(language ?? context.organizationLocale), vars),
  });
}

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
export async function createInvitation(call: ServiceCall, input: CreateInvitationInput, links: Links) {
  requirePermission(call, 'invitations:manage');
  if (input.role === 'owner' && call.scope.role !== 'owner') {
    throw new TenantryError('forbidden', 'only an owner may invite an owner');
  }
  const organizationId = call.scope.organizationId;
  const email = input.email.trim().toLowerCase();
  const language = await inviteeLanguage(call, email);
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
    const invitation = await repository.insertInvitation(tx, organizationId, call.scope.userId, { email, role: input.role, expiresAt });
    await mailInvitation(tx, call, invitation, language, links);
    return invitation;
  });
}

/**
 * Mails a pending or expired invitation again, valid for another 48 hours from now. An expired
 * one takes a seat again, so the plan must have room for it.
 */
export async function resendInvitation(call: ServiceCall, id: string, links: Links) {
  requirePermission(call, 'invitations:manage');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    // The member-limit lock first, as createInvitation takes it, so the seat count cannot race.
    await assertWithinLimit(tx, organizationId, 'members', 0);
    const current = view(found(await repository.lockInvitation(tx, organizationId, id), 'invitation'));
    if (current.status === 'canceled') throw new TenantryError('conflict', 'the invitation was revoked; invite again');
    if (current.status !== 'pending' && current.status !== 'expired') throw new TenantryError('conflict', `the invitation is already ${current.status}`);
    if (current.role === 'owner' && call.scope.role !== 'owner') throw new TenantryError('forbidden', 'only an owner may invite an owner');
    await assertResendAllowed(tx, organizationId, { email: current.email, userId: call.scope.userId });
    if (current.status === 'expired') {
      const open = await repository.countOpenInvitations(tx, organizationId);
      await assertWithinLimit(tx, organizationId, 'members', open + 1);
    }
    const invitation = found(await repository.renewInvitation(tx, organizationId, id, new Date(Date.now() + VALID_FOR_MS)), 'invitation');
    // The language is looked up outside the tenant transaction's role; a resend is rare enough
    // that the organization's default is good enough when the invitee has no account yet.
    await mailInvitation(tx, call, invitation, undefined, links);
    return invitation;
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
 * with the invited role. Accepting again is a no-op that answers the same (a double click, a
 * second tab). Someone else's invitation is 404, like a missing one; a revoked or expired one
 * is 409. The email need not be verified: only the invitation mail carries its id, so having
 * the id proves the address.
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
    if (invitation.status === 'accepted' && (await repository.isMember(tx, organizationId, call.userId))) return invitation;
    if (invitation.status === 'canceled') throw new TenantryError('conflict', 'the invitation was revoked');
    if (invitation.status !== 'pending') throw new TenantryError('conflict', `the invitation is already ${invitation.status}`);
    if (invitation.expiresAt <= new Date()) throw new TenantryError('conflict', 'the invitation has expired; ask for a new one');
    if (await repository.isMember(tx, organizationId, call.userId)) throw new TenantryError('conflict', 'you are already a member');
    // The invitation held a seat, but the plan may have shrunk since.
    await assertWithinLimit(tx, organizationId, 'members');
    await repository.insertMember(tx, organizationId, call.userId, invitation.role);
    await afterMembershipChanged(tx, organizationId);
    const accepted = found(await repository.setInvitationStatus(tx, organizationId, id, 'accepted'), 'invitation');
    await afterInvitationAccepted(tx, { organizationId, actorId: call.userId }, accepted);
    return accepted;
  });
}

/**
 * The signed-in user's open invitations, across organizations. Only for a verified address:
 * anyone can sign up with anyone's address, and listing would hand them the ids the mail
 * keeps private; an unverified account accepts through the mail's link instead.
 */
export async function listMyInvitations(call: SessionCall) {
  return withPlatform(call.db, { userId: call.userId, requestId: call.requestId }, async (tx) => {
    const emailVerified = await repository.isEmailVerified(tx, call.userId);
    return { emailVerified, items: emailVerified ? await repository.listOpenInvitationsOfUser(tx, call.userId) : [] };
  });
}
