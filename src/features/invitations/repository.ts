import { type SQL, and, asc, count, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { alias } from 'drizzle-orm/pg-core';
import { type InvitationStatus, type MemberRole, invitations, members, organizations, users } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type InvitationRow = typeof invitations.$inferSelect;

const inOrganization = (organizationId: string) => eq(invitations.organizationId, organizationId);
const sameEmail = (email: string) => sql`lower(${invitations.email}) = lower(${email})`;
const stillOpen = and(eq(invitations.status, 'pending'), gt(invitations.expiresAt, sql`now()`));

/** The stored status, or `expired` for a pending invitation past its expiry, as SQL filters it. */
function whereStatus(status: InvitationStatus): SQL | undefined {
  switch (status) {
    case 'pending':
      return stillOpen;
    case 'expired':
      return or(eq(invitations.status, 'expired'), and(eq(invitations.status, 'pending'), lte(invitations.expiresAt, sql`now()`)));
    default:
      return eq(invitations.status, status);
  }
}

export async function listInvitations(
  tx: Tx,
  organizationId: string,
  filter: { status?: InvitationStatus; afterId: string | null; limit: number },
): Promise<InvitationRow[]> {
  return tx
    .select()
    .from(invitations)
    .where(
      and(
        inOrganization(organizationId),
        filter.status ? whereStatus(filter.status) : undefined,
        filter.afterId ? gt(invitations.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(invitations.id))
    .limit(filter.limit + 1);
}

/** One invitation, locked for the rest of the transaction so accept and revoke cannot cross. */
export async function lockInvitation(tx: Tx, organizationId: string, id: string): Promise<InvitationRow | undefined> {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(inOrganization(organizationId), eq(invitations.id, id)))
    .for('update');
  return row;
}

/** Open invitations hold a seat until they are accepted, revoked or expire. */
export async function countOpenInvitations(tx: Tx, organizationId: string): Promise<number> {
  const [row] = await tx.select({ open: count() }).from(invitations).where(and(inOrganization(organizationId), stillOpen));
  return row?.open ?? 0;
}

export async function hasOpenInvitation(tx: Tx, organizationId: string, email: string): Promise<boolean> {
  const rows = await tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(inOrganization(organizationId), sameEmail(email), stillOpen))
    .limit(1);
  return rows.length > 0;
}

export async function hasMemberWithEmail(tx: Tx, organizationId: string, email: string): Promise<boolean> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), sql`lower(${users.email}) = lower(${email})`))
    .limit(1);
  return rows.length > 0;
}

export async function isMember(tx: Tx, organizationId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
  return rows.length > 0;
}

export async function insertInvitation(
  tx: Tx,
  organizationId: string,
  inviterId: string,
  values: { email: string; role: MemberRole; expiresAt: Date },
): Promise<InvitationRow> {
  const [row] = await tx
    .insert(invitations)
    .values({ ...values, id: uuidv7(), organizationId, inviterId, status: 'pending' })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function setInvitationStatus(
  tx: Tx,
  organizationId: string,
  id: string,
  status: InvitationStatus,
): Promise<InvitationRow | undefined> {
  const [row] = await tx
    .update(invitations)
    .set({ status })
    .where(and(inOrganization(organizationId), eq(invitations.id, id)))
    .returning();
  return row;
}

export async function insertMember(tx: Tx, organizationId: string, userId: string, role: MemberRole): Promise<void> {
  await tx.insert(members).values({ id: uuidv7(), organizationId, userId, role });
}

/**
 * Which organization invited this user under this id. The invitee is no member yet, so no
 * tenant can be entered to look: the caller passes a platform transaction, and the user's own
 * email is the scope, so an invitation addressed to anyone else is never found.
 */
export async function findOrganizationInvitingUser(tx: Tx, id: string, userId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ organizationId: invitations.organizationId })
    .from(invitations)
    .innerJoin(users, sql`lower(${users.email}) = lower(${invitations.email})`)
    .where(and(eq(invitations.id, id), eq(users.id, userId)));
  return row?.organizationId;
}

/** The acting user's email, which RLS lets the app role read about the acting user. */
export async function findUserEmail(tx: Tx, userId: string): Promise<string | undefined> {
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email;
}

/** Makes a pending or expired invitation open again until `expiresAt` (a resend). */
export async function renewInvitation(tx: Tx, organizationId: string, id: string, expiresAt: Date): Promise<InvitationRow | undefined> {
  const [row] = await tx
    .update(invitations)
    .set({ status: 'pending', expiresAt })
    .where(and(inOrganization(organizationId), eq(invitations.id, id)))
    .returning();
  return row;
}

/** What the invitation mail says besides the invitation: who invites, to what, in which language by default. */
export async function findInvitationMailContext(
  tx: Tx,
  organizationId: string,
  inviterId: string,
): Promise<{ organizationName: string; organizationLocale: string | null; inviterName: string | null } | undefined> {
  const [row] = await tx
    .select({ organizationName: organizations.name, settings: organizations.settings, inviterName: users.name })
    .from(organizations)
    .leftJoin(users, eq(users.id, inviterId))
    .where(eq(organizations.id, organizationId));
  return row && { organizationName: row.organizationName, organizationLocale: row.settings.locale ?? null, inviterName: row.inviterName };
}

/**
 * The language of whoever has an account under this email, if anyone does. Accounts are
 * platform rows the app role cannot read beyond the caller's own: a platform transaction.
 */
export async function findLanguageOfEmail(tx: Tx, email: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ language: users.language })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return row?.language;
}

const inviters = alias(users, 'inviters');

/**
 * Open invitations addressed to the user's email, in every organization, newest first: a
 * platform transaction, scoped by the user's own address like findOrganizationInvitingUser.
 */
export async function listOpenInvitationsOfUser(tx: Tx, userId: string) {
  return tx
    .select({
      id: invitations.id,
      organizationId: invitations.organizationId,
      organizationName: organizations.name,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      inviterName: inviters.name,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .innerJoin(users, sql`lower(${users.email}) = lower(${invitations.email})`)
    .innerJoin(organizations, and(eq(organizations.id, invitations.organizationId), isNull(organizations.deletedAt)))
    .leftJoin(inviters, eq(inviters.id, invitations.inviterId))
    .where(and(eq(users.id, userId), stillOpen))
    .orderBy(desc(invitations.id))
    .limit(100);
}

/** Whether the user proved their address (Better Auth's verification mail). */
export async function isEmailVerified(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx.select({ verified: users.emailVerified }).from(users).where(eq(users.id, userId));
  return row?.verified ?? false;
}
