import { and, asc, eq, gt } from 'drizzle-orm';
import { type MemberRole, members, users } from '../../db/schema/index.js';
import { clearReferences } from '../../db/cleared-references.js';
import type { Tx } from '../../db/tenant-context.js';

/** A membership with the person's public fields (the only user columns the app role may read). */
const withUser = {
  id: members.id,
  organizationId: members.organizationId,
  userId: members.userId,
  role: members.role,
  name: users.name,
  email: users.email,
  image: users.image,
  createdAt: members.createdAt,
  updatedAt: members.updatedAt,
};

export type MemberView = {
  id: string;
  organizationId: string;
  userId: string;
  role: MemberRole;
  name: string;
  email: string;
  image: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export async function listMembers(
  tx: Tx,
  organizationId: string,
  filter: { role?: MemberRole; afterId: string | null; limit: number },
): Promise<MemberView[]> {
  return tx
    .select(withUser)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(
      and(
        eq(members.organizationId, organizationId),
        filter.role ? eq(members.role, filter.role) : undefined,
        filter.afterId ? gt(members.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(members.id))
    .limit(filter.limit + 1);
}

/** A person's membership, found by their user id: the one id the API uses for a person. */
export async function findMember(tx: Tx, organizationId: string, userId: string): Promise<MemberView | undefined> {
  const [row] = await tx
    .select(withUser)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
  return row;
}

/**
 * The ids of the organization's owners, locked until the transaction ends, so two owners who
 * demote or remove each other at once cannot leave the organization with none: the second
 * waits for the first and then sees one owner fewer.
 */
export async function lockOwners(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.role, 'owner')))
    .for('update');
  return rows.map((row) => row.id);
}

export async function updateMemberRole(tx: Tx, organizationId: string, userId: string, role: MemberRole): Promise<void> {
  await tx
    .update(members)
    .set({ role })
    .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
}

/** Removing a membership cascades to the person's project memberships and clears their references. */
export async function deleteMember(tx: Tx, organizationId: string, userId: string): Promise<void> {
  await clearReferences(tx, organizationId, 'members', [userId]);
  await tx.delete(members).where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
}
