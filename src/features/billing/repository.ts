import { and, desc, eq, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { billingEvents, members, organizations, subscriptionPlans, subscriptions } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Records a verified event; false when its id was recorded before (a second delivery). */
export async function recordEvent(tx: Tx, event: { id: string; type: string; payload: Record<string, unknown> }): Promise<boolean> {
  const inserted = await tx.insert(billingEvents).values(event).onConflictDoNothing().returning({ id: billingEvents.id });
  return inserted.length > 0;
}

export async function markEventProcessed(tx: Tx, id: string): Promise<void> {
  await tx.update(billingEvents).set({ processedAt: new Date() }).where(eq(billingEvents.id, id));
}

/** The organization, when the id names one; metadata from Stripe is checked against it. */
export async function organizationExists(tx: Tx, organizationId: string): Promise<boolean> {
  const [row] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId));
  return row !== undefined;
}

/** Which organization a Stripe subscription belongs to, from the subscription rows that name it. */
export async function organizationOfStripeSubscription(tx: Tx, providerSubscriptionId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ organizationId: subscriptions.organizationId })
    .from(subscriptions)
    .where(and(eq(subscriptions.provider, 'stripe'), eq(subscriptions.providerSubscriptionId, providerSubscriptionId)));
  return row?.organizationId;
}

export async function planOfPrice(tx: Tx, stripePriceId: string): Promise<{ id: string } | undefined> {
  const [row] = await tx.select({ id: subscriptionPlans.id }).from(subscriptionPlans).where(eq(subscriptionPlans.stripePriceId, stripePriceId));
  return row;
}

export async function findPlanForSale(tx: Tx, code: string) {
  const [row] = await tx
    .select()
    .from(subscriptionPlans)
    .where(and(eq(subscriptionPlans.code, code), eq(subscriptionPlans.isActive, true)));
  return row;
}

export type StripeState = {
  planId: string | null;
  status: 'trialing' | 'active' | 'past_due' | 'canceled' | 'incomplete';
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  trialEndsAt: Date | null;
  canceledAt: Date | null;
  cancelAt: Date | null;
  cancelAtPeriodEnd: boolean;
  seats: number;
  providerCustomerId: string;
  providerSubscriptionId: string;
  providerPriceId: string | null;
};

/**
 * Writes Stripe's state of a subscription onto the organization's row for it. The first time
 * (after Checkout) the organization's other live subscription, the free one, is canceled and
 * a row for the Stripe one is added; a price no plan sells keeps the plan it had.
 * Returns false when there is nothing to write (a new subscription whose price no plan sells).
 */
export async function applyStripeState(tx: Tx, organizationId: string, state: StripeState): Promise<boolean> {
  const { planId, ...values } = state;
  const ofOrganization = eq(subscriptions.organizationId, organizationId);
  const [existing] = await tx
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(ofOrganization, eq(subscriptions.provider, 'stripe'), eq(subscriptions.providerSubscriptionId, state.providerSubscriptionId)));
  if (existing) {
    await tx
      .update(subscriptions)
      .set({ ...values, ...(planId ? { planId } : {}) })
      .where(and(ofOrganization, eq(subscriptions.id, existing.id)));
    return true;
  }
  if (!planId) return false;
  if (values.status !== 'canceled') {
    await tx
      .update(subscriptions)
      .set({ status: 'canceled', canceledAt: new Date() })
      .where(and(ofOrganization, ne(subscriptions.status, 'canceled')));
  }
  await tx.insert(subscriptions).values({ id: uuidv7(), organizationId, planId, provider: 'stripe', ...values });
  return true;
}

/** The organization's live Stripe subscription, for upgrades in place and the Customer Portal. */
export async function findStripeSubscription(tx: Tx, organizationId: string) {
  const [row] = await tx
    .select({ providerSubscriptionId: subscriptions.providerSubscriptionId, providerCustomerId: subscriptions.providerCustomerId })
    .from(subscriptions)
    .where(and(eq(subscriptions.organizationId, organizationId), eq(subscriptions.provider, 'stripe'), ne(subscriptions.status, 'canceled')));
  return row;
}

/** The Stripe customer of the organization's newest Stripe subscription, canceled or not. */
export async function findStripeCustomer(tx: Tx, organizationId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ customer: subscriptions.providerCustomerId })
    .from(subscriptions)
    .where(and(eq(subscriptions.organizationId, organizationId), eq(subscriptions.provider, 'stripe')))
    .orderBy(desc(subscriptions.createdAt))
    .limit(1);
  return row?.customer ?? undefined;
}

export async function countMembers(tx: Tx, organizationId: string): Promise<number> {
  return tx.$count(members, eq(members.organizationId, organizationId));
}

export async function organizationSlug(tx: Tx, organizationId: string): Promise<string> {
  const [row] = await tx.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, organizationId));
  if (!row) throw new Error('the organization of the request is gone');
  return row.slug;
}
