// The tenant root and what hangs directly off it (migration 0002): organizations, members,
// invitations, subscriptions. Also the shared building blocks of every tenant table.
import { type AnyPgColumn, boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, fk, pk, timestamps, timestamptz, uniqueKey } from './common.js';
import { subscriptionPlans, users } from './platform.js';

/** The first two columns of every tenant table; the primary key is (organization_id, id). */
export const tenantColumns = {
  organizationId: uuid('organization_id').notNull(),
  id: uuid('id').notNull().defaultRandom(),
};

/** Primary key (organization_id, id) and the cascading reference to the tenant root. */
export function tenantKeys(t: { organizationId: AnyPgColumn; id: AnyPgColumn }) {
  return [pk(t.organizationId, t.id), fk([t.organizationId], [organizations.id], 'cascade')];
}

/**
 * A person inside the tenant: references members (organization_id, user_id), so the person
 * is always a member of the same organization.
 */
export function memberReference(organizationId: AnyPgColumn, userId: AnyPgColumn, onDelete: 'no action' | 'cascade') {
  return fk([organizationId, userId], [members.organizationId, members.userId], onDelete);
}

/**
 * The registry of slugs (migration 0016): a platform table whose primary key keeps slugs unique
 * across organizations, which Citus cannot do on organizations distributed by id.
 */
export const organizationSlugs = pgTable('organization_slugs', {
  slug: text('slug').primaryKey(),
  organizationRef: uuid('organization_ref').notNull().unique('organization_slugs_organization_ref_key'),
  ...timestamps,
});

export const memberRoles = ['owner', 'admin', 'member', 'viewer'] as const;
export type MemberRole = (typeof memberRoles)[number];

/** Typed organization settings; every key optional so old rows stay valid. */
export type OrganizationSettings = {
  timezone?: string;
  locale?: string;
  /** Role given to people who join without an explicit one. */
  defaultMemberRole?: Exclude<MemberRole, 'owner'>;
  /** Feature switches the organization turned on or off, by feature code. */
  features?: Record<string, boolean>;
  security?: { requireTwoFactor?: boolean; allowedEmailDomains?: string[] };
  ai?: { enabled?: boolean; monthlyTokenBudget?: number };
};

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Unique across organizations through organization_slugs (migration 0016). */
    slug: text('slug').notNull(),
    domain: text('domain'),
    logo: text('logo'),
    ownerId: uuid('owner_id'),
    settings: jsonb('settings').$type<OrganizationSettings>().notNull().default({}),
    /** Better Auth's organization plugin stores free-form metadata as a string. */
    metadata: text('metadata'),
    /** The tenant's data key, wrapped by the platform key (envelope encryption). */
    wrappedDataKey: bytea('wrapped_data_key'),
    billingCustomerId: text('billing_customer_id'),
    billingEmail: text('billing_email'),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    fk([t.ownerId], [users.id], 'set null'),
    index('organizations_owner_id_idx').on(t.ownerId),
    index('organizations_slug_idx').on(t.slug),
  ],
);

export const members = pgTable(
  'members',
  {
    ...tenantColumns,
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    // The person's name and image, copied from users by a trigger on insert and kept current by
    // the auth's user-update hook (migration 0038), so reads that show people stay in the tenant.
    name: text('name').notNull().default(''),
    image: text('image'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.userId], [users.id], 'cascade'),
    uniqueKey(t.organizationId, t.userId),
    index('members_user_id_idx').on(t.userId),
  ],
);

export const invitationStatuses = ['pending', 'accepted', 'rejected', 'canceled', 'expired'] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];

export const invitations = pgTable(
  'invitations',
  {
    ...tenantColumns,
    email: text('email').notNull(),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    status: text('status', { enum: invitationStatuses }).notNull().default('pending'),
    expiresAt: timestamptz('expires_at').notNull(),
    inviterId: uuid('inviter_id'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    memberReference(t.organizationId, t.inviterId, 'no action'),
    index('invitations_organization_id_inviter_id_idx').on(t.organizationId, t.inviterId),
    index('invitations_email_idx').on(t.email),
  ],
);

export const subscriptionStatuses = ['trialing', 'active', 'past_due', 'canceled', 'incomplete'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export const subscriptions = pgTable(
  'subscriptions',
  {
    ...tenantColumns,
    planId: uuid('plan_id').notNull(),
    status: text('status', { enum: subscriptionStatuses }).notNull().default('incomplete'),
    currentPeriodStart: timestamptz('current_period_start'),
    currentPeriodEnd: timestamptz('current_period_end'),
    trialEndsAt: timestamptz('trial_ends_at'),
    canceledAt: timestamptz('canceled_at'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    seats: integer('seats').notNull().default(1),
    provider: text('provider'),
    providerCustomerId: text('provider_customer_id'),
    providerSubscriptionId: text('provider_subscription_id'),
    /** When Stripe will end it (migration 0023). */
    cancelAt: timestamptz('cancel_at'),
    /** The Stripe price it bills (migration 0023). */
    providerPriceId: text('provider_price_id'),
    /** A plan change waiting for scheduledChangeAt, the end of the period (migration 0029). */
    scheduledPlanId: uuid('scheduled_plan_id'),
    scheduledChangeAt: timestamptz('scheduled_change_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.planId], [subscriptionPlans.id], 'restrict'),
    index('subscriptions_plan_id_idx').on(t.planId),
    fk([t.scheduledPlanId], [subscriptionPlans.id], 'restrict'),
    index('subscriptions_scheduled_plan_id_idx').on(t.scheduledPlanId),
    index('subscriptions_provider_subscription_id_idx').on(t.provider, t.providerSubscriptionId),
    uniqueIndex('subscriptions_one_live_per_organization_idx')
      .on(t.organizationId)
      .where(sql`status <> 'canceled'`),
  ],
);
