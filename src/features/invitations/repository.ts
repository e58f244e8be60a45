import { type SQL, and, asc, count, eq, gt, lte, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type InvitationStatus, type MemberRole, invitations, members, users } from '../../db/schema/index.js';
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
