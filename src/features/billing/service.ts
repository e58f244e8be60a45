import type { Database } from '../../db/connection.js';
import { type Tx, withPlatform } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { isUuid } from '../../uuid.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import { assertPlanFits, lockBilling } from '../subscriptions/service.js';
import type { BillingConfig, StripeConfig } from './config.js';
import * as repository from './repository.js';
import { type Stripe, stripeClient } from './stripe.js';

const STATUS: Record<string, repository.StripeState['status']> = {
  active: 'active',
  trialing: 'trialing',
  past_due: 'past_due',
  // Unpaid and paused grant nothing new, like past due: reads go on, counted writes wait.
  unpaid: 'past_due',
  paused: 'past_due',
  canceled: 'canceled',
  incomplete_expired: 'canceled',
  incomplete: 'incomplete',
};

const seconds = (value: number | null | undefined) => (value ? new Date(value * 1000) : null);
const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));

/** The Stripe subscription an event is about, and the organization it names, if any. */
function subjectOf(event: Stripe.Event): { subscriptionId: string; organizationId: string | null } | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, string | undefined>;
  const named = metadata.organizationId ?? (typeof object.client_reference_id === 'string' ? object.client_reference_id : undefined);
  const organizationId = named && isUuid(named) ? named : null;
  if (event.type.startsWith('customer.subscription.')) return { subscriptionId: String(object.id), organizationId };
  if (event.type === 'checkout.session.completed' && typeof object.subscription === 'string') return { subscriptionId: object.subscription, organizationId };
  if (event.type.startsWith('invoice.')) {
    // An invoice names its subscription under `parent` in current API versions.
    const parent = object.parent as { subscription_details?: { subscription?: string | { id: string } } } | undefined;
    const subscriptionId = idOf(parent?.subscription_details?.subscription);
    return subscriptionId ? { subscriptionId, organizationId: null } : null;
  }
  return null;
}

export function stateOf(subscription: Stripe.Subscription, planId: string | null): repository.StripeState {
  const item = subscription.items.data[0];
  return {
    planId,
    status: STATUS[subscription.status] ?? 'incomplete',
    currentPeriodStart: seconds(item?.current_period_start),
    currentPeriodEnd: seconds(item?.current_period_end),
    trialEndsAt: seconds(subscription.trial_end),
    canceledAt: seconds(subscription.canceled_at),
    cancelAt: seconds(subscription.cancel_at),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    seats: item?.quantity ?? 1,
    providerCustomerId: idOf(subscription.customer) ?? '',
    providerSubscriptionId: subscription.id,
    providerPriceId: item?.price.id ?? null,
  };
}

/**
 * Makes the organization's row match Stripe's subscription as Stripe has it now. Reading it
 * afresh, under the organization's billing lock, is what makes events safe out of order and
 * twice: whichever event comes last, the row ends as Stripe's latest state, and a plan change
 * in flight finishes before or starts after.
 */
async function syncSubscription(tx: Tx, stripe: Stripe, organizationId: string, subscriptionId: string): Promise<boolean> {
  await lockBilling(tx, organizationId);
  const subscription = await stripe.subscriptions.retrieve(subscriptionId).catch((error: unknown) => {
    // Stripe down, or a subscription it does not know: nothing is recorded, and its retry comes back.
    throw new TenantryError('unavailable', `Stripe could not be read: ${error instanceof Error ? error.message : String(error)}`);
  });
  const price = subscription.items.data[0]?.price.id;
  const plan = price ? await repository.planOfPrice(tx, price) : undefined;
  return repository.applyStripeState(tx, organizationId, stateOf(subscription, plan?.id ?? null));
}

/**
 * `POST /api/v1/billing/stripe/webhook`, in every billing mode. Nothing is written unless the
 * signature verifies against STRIPE_WEBHOOK_SECRET. The event is recorded by its id and applied
 * in one transaction, so it is processed exactly once: a second delivery finds it recorded, and
 * a failure (Stripe unreachable) records nothing, so Stripe's retry does the work.
 */
export async function receiveStripeEvent(db: Database, billing: BillingConfig, payload: string, signature: string | undefined, requestId: string) {
  const config = billing.stripe;
  if (!config || !signature) throw new TenantryError('bad_request', 'no Stripe signature that verifies');
  const stripe = stripeClient(config);
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(payload, signature, config.webhookSecret);
  } catch {
    throw new TenantryError('bad_request', 'the Stripe signature does not verify');
  }
  return withPlatform(db, { requestId }, async (tx) => {
    const payloadObject = JSON.parse(payload) as Record<string, unknown>;
    if (!(await repository.recordEvent(tx, { id: event.id, type: event.type, payload: payloadObject }))) {
      return { received: true as const, duplicate: true };
    }
    const subject = subjectOf(event);
    if (!subject) return { received: true as const, duplicate: false };
    const named = subject.organizationId && (await repository.organizationExists(tx, subject.organizationId)) ? subject.organizationId : undefined;
    const organizationId = named ?? (await repository.organizationOfStripeSubscription(tx, subject.subscriptionId));
    if (organizationId && (await syncSubscription(tx, stripe, organizationId, subject.subscriptionId))) {
      await repository.markEventProcessed(tx, event.id);
    }
    return { received: true as const, duplicate: false };
  });
}

/** The web app's settings page of the organization, where Stripe sends the owner back. */
async function settingsUrl(tx: Tx, config: StripeConfig, organizationId: string): Promise<string> {
  return `${config.returnBaseUrl}/${encodeURIComponent(await repository.organizationSlug(tx, organizationId))}/settings`;
}

function requireStripe(billing: BillingConfig): StripeConfig {
  if (billing.mode !== 'stripe') {
    throw new TenantryError('refused', 'billing is off here (BILLING_MODE=none): an owner changes plan with POST /api/v1/orgs/{orgId}/subscription/change');
  }
  return billing.stripe;
}

/**
 * Subscribe or upgrade (owners, BILLING_MODE=stripe). With no Stripe subscription yet, a
 * Checkout session for the plan's price, one seat per member, whose URL the owner opens; the
 * webhook records the result. With one, its price and seats change in place (prorated) and
 * the row is synced at once: `url` is then null. A plan too small for the usage is refused
 * first, like a direct change.
 */
export async function startCheckout(call: ServiceCall, billing: BillingConfig, input: { plan: string }) {
  requirePermission(call, 'billing:manage');
  const config = requireStripe(billing);
  const stripe = stripeClient(config);
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await lockBilling(tx, organizationId);
    const plan = await repository.findPlanForSale(tx, input.plan);
    if (!plan?.stripePriceId) {
      throw new TenantryError('validation_failed', `no plan "${input.plan}" sold through Stripe`, [{ path: 'plan', message: 'not a plan with a Stripe price' }]);
    }
    await assertPlanFits(tx, organizationId, plan);
    const seats = await repository.countMembers(tx, organizationId);
    const current = await repository.findStripeSubscription(tx, organizationId);
    if (current?.providerSubscriptionId) {
      const subscription = await stripe.subscriptions.retrieve(current.providerSubscriptionId);
      const item = subscription.items.data[0];
      const updated = await stripe.subscriptions.update(current.providerSubscriptionId, {
        items: [{ ...(item ? { id: item.id } : {}), price: plan.stripePriceId, quantity: seats }],
        proration_behavior: 'create_prorations',
        metadata: { organizationId },
      });
      await repository.applyStripeState(tx, organizationId, stateOf(updated, plan.id));
      return { url: null };
    }
    const customer = await repository.findStripeCustomer(tx, organizationId);
    const settings = await settingsUrl(tx, config, organizationId);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: plan.stripePriceId, quantity: seats }],
      client_reference_id: organizationId,
      metadata: { organizationId },
      subscription_data: { metadata: { organizationId } },
      ...(customer ? { customer } : {}),
      success_url: `${settings}?checkout=done`,
      cancel_url: settings,
    });
    if (!session.url) throw new TenantryError('unavailable', 'Stripe made a Checkout session without a URL');
    return { url: session.url };
  });
}

/** A Customer Portal session for the organization's Stripe customer (owners, BILLING_MODE=stripe). */
export async function openPortal(call: ServiceCall, billing: BillingConfig) {
  requirePermission(call, 'billing:manage');
  const config = requireStripe(billing);
  const organizationId = call.scope.organizationId;
  const [customer, settings] = await inTenant(call, async (tx) => [
    await repository.findStripeCustomer(tx, organizationId),
    await settingsUrl(tx, config, organizationId),
  ] as const);
  if (!customer) throw new TenantryError('refused', 'the organization has no Stripe customer yet: subscribe through Checkout first');
  const session = await stripeClient(config).billingPortal.sessions.create({ customer, return_url: settings });
  return { url: session.url };
}

/**
 * Sets the organization's Stripe seats to its member count (the seats job, after a member joined
 * or left). Under the billing lock, like a plan change, and from Stripe's current quantity, so
 * a retried or duplicate job changes nothing once the count matches; the row is then synced.
 */
export async function syncSeats(tx: Tx, config: StripeConfig, organizationId: string): Promise<{ seats: number; changed: boolean } | null> {
  await lockBilling(tx, organizationId);
  const current = await repository.findStripeSubscription(tx, organizationId);
  if (!current?.providerSubscriptionId) return null;
  const stripe = stripeClient(config);
  const seats = await repository.countMembers(tx, organizationId);
  let subscription = await stripe.subscriptions.retrieve(current.providerSubscriptionId);
  const item = subscription.items.data[0];
  const changed = Boolean(item && item.quantity !== seats);
  if (item && changed) {
    subscription = await stripe.subscriptions.update(current.providerSubscriptionId, {
      items: [{ id: item.id, quantity: seats }],
      proration_behavior: 'create_prorations',
    });
  }
  const price = subscription.items.data[0]?.price.id;
  const plan = price ? await repository.planOfPrice(tx, price) : undefined;
  await repository.applyStripeState(tx, organizationId, stateOf(subscription, plan?.id ?? null));
  return { seats, changed };
}
