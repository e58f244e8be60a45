import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type MemberRole, members, organizationSlugs, organizations, subscriptionPlans, subscriptions } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { UpdateOrganizationInput } from './schemas.js';

/** Every column the API may show; the wrapped data key is never selected, so it cannot leak. */
const visible = {
  id: organizations.id,
  name: organizations.name,
  slug: organizations.slug,
  domain: organizations.domain,
  logo: organizations.logo,
  ownerId: organizations.ownerId,
  settings: organizations.settings,
  createdAt: organizations.createdAt,
  updatedAt: organizations.updatedAt,
};

export type OrganizationView = Pick<typeof organizations.$inferSelect, keyof typeof visible>;

/** The live organization itself; RLS checks the tenant again underneath. */
const live = (organizationId: string) => and(eq(organizations.id, organizationId), isNull(organizations.deletedAt));

/**
 * The organizations one user belongs to, with their role. This read spans tenants by nature, so
 * it is the one function here keyed by user instead of organization: the caller passes a
 * platform transaction and the user filter is what scopes it.
 */
export async function listOrganizationsOfUser(
  tx: Tx,
  userId: string,
  page: { afterId: string | null; limit: number },
): Promise<(OrganizationView & { role: MemberRole })[]> {
  return tx
    .select({ ...visible, role: members.role })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(and(eq(members.userId, userId), isNull(organizations.deletedAt), page.afterId ? gt(organizations.id, page.afterId) : undefined))
    .orderBy(asc(organizations.id))
    .limit(page.limit + 1);
}

export async function findOrganization(tx: Tx, organizationId: string): Promise<OrganizationView | undefined> {
  const [row] = await tx.select(visible).from(organizations).where(live(organizationId));
  return row;
}

export async function insertOrganization(
  tx: Tx,
  organizationId: string,
  values: { name: string; slug: string; ownerId: string; wrappedDataKey: Uint8Array },
): Promise<OrganizationView> {
  // The registry's primary key is what refuses a taken slug (migrations/0016).
  await tx.insert(organizationSlugs).values({ slug: values.slug, organizationRef: organizationId });
  const [row] = await tx.insert(organizations).values({ ...values, id: organizationId }).returning(visible);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function insertMembership(tx: Tx, organizationId: string, userId: string, role: 'owner'): Promise<void> {
  await tx.insert(members).values({ id: uuidv7(), organizationId, userId, role });
}

/** The id of the free plan, when the catalogue has one. */
export async function findFreePlanId(tx: Tx): Promise<string | undefined> {
  const [plan] = await tx.select({ id: subscriptionPlans.id }).from(subscriptionPlans).where(eq(subscriptionPlans.code, 'free'));
  return plan?.id;
}

export async function insertSubscription(tx: Tx, organizationId: string, planId: string, startsAt: Date): Promise<void> {
  await tx.insert(subscriptions).values({ id: uuidv7(), organizationId, planId, status: 'active', currentPeriodStart: startsAt });
}

export async function updateOrganization(
  tx: Tx,
  organizationId: string,
  changes: UpdateOrganizationInput,
): Promise<OrganizationView | undefined> {
  const [row] = await tx.update(organizations).set(changes).where(live(organizationId)).returning(visible);
  return row;
}

/** A hard delete: every tenant table cascades from here, the wrapped data key goes with the row. */
export async function deleteOrganization(tx: Tx, organizationId: string): Promise<boolean> {
  await tx.delete(organizationSlugs).where(eq(organizationSlugs.organizationRef, organizationId));
  const rows = await tx.delete(organizations).where(eq(organizations.id, organizationId)).returning({ id: organizations.id });
  return rows.length > 0;
}
