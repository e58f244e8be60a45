// Platform tables (migration 0001): Better Auth's core tables, user profiles, plans and
// features. They belong to no tenant.
import { bigint, boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { fk, pk, timestamps, timestamptz, uniqueKey } from './common.js';

export const userStatuses = ['active', 'inactive', 'pending'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Platform role (Better Auth admin plugin), not the role inside an organization. */
export const platformRoles = ['user', 'admin'] as const;
export type PlatformRole = (typeof platformRoles)[number];

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').notNull().unique('users_email_key'),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  username: text('username').unique('users_username_key'),
  displayUsername: text('display_username'),
  status: text('status', { enum: userStatuses }).notNull().default('active'),
  role: text('role', { enum: platformRoles }).notNull().default('user'),
  banned: boolean('banned').notNull().default(false),
  banReason: text('ban_reason'),
  banExpires: timestamptz('ban_expires'),
  language: text('language').notNull().default('en'),
  onboardingCompleted: boolean('onboarding_completed').notNull().default(false),
  firstName: text('first_name'),
  lastName: text('last_name'),
  ...timestamps,
});

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamptz('access_token_expires_at'),
    refreshTokenExpiresAt: timestamptz('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    ...timestamps,
  },
  (t) => [
    fk([t.userId], [users.id], 'cascade'),
    uniqueKey(t.providerId, t.accountId),
    index('accounts_user_id_idx').on(t.userId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    token: text('token').notNull().unique('sessions_token_key'),
    expiresAt: timestamptz('expires_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    activeOrganizationId: uuid('active_organization_id'),
    impersonatedBy: uuid('impersonated_by'),
    ...timestamps,
  },
  (t) => [
    fk([t.userId], [users.id], 'cascade'),
    fk([t.impersonatedBy], [users.id], 'set null'),
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_active_organization_id_idx').on(t.activeOrganizationId),
    index('sessions_impersonated_by_idx').on(t.impersonatedBy),
  ],
);

export const verifications = pgTable(
  'verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    ...timestamps,
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

/** Typed user preferences (seed 000, 003); every key optional so old rows stay valid. */
export type UserPreferences = {
  theme?: 'light' | 'dark' | 'system';
  notifications?: { email?: boolean; push?: boolean; inApp?: boolean };
  /** Overrides users.language for the UI when set. */
  locale?: string;
  dateFormat?: string;
  weekStartsOn?: 0 | 1 | 6;
};

export const userProfiles = pgTable(
  'user_profiles',
  {
    userId: uuid('user_id').primaryKey(),
    bio: text('bio'),
    avatarUrl: text('avatar_url'),
    timezone: text('timezone'),
    jobTitle: text('job_title'),
    phone: text('phone'),
    preferences: jsonb('preferences').$type<UserPreferences>().notNull().default({}),
    ...timestamps,
  },
  (t) => [fk([t.userId], [users.id], 'cascade')],
);

export const billingPeriods = ['monthly', 'yearly'] as const;
export type BillingPeriod = (typeof billingPeriods)[number];

/** Plans with their limits; a NULL limit means unlimited. */
export const subscriptionPlans = pgTable('subscription_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique('subscription_plans_code_key'),
  name: text('name').notNull(),
  description: text('description'),
  priceCents: integer('price_cents').notNull().default(0),
  currency: text('currency').notNull().default('USD'),
  billingPeriod: text('billing_period', { enum: billingPeriods }).notNull().default('monthly'),
  maxMembers: integer('max_members'),
  maxProjects: integer('max_projects'),
  maxTasks: integer('max_tasks'),
  maxStorageBytes: bigint('max_storage_bytes', { mode: 'number' }),
  maxAiTokensPerMonth: bigint('max_ai_tokens_per_month', { mode: 'number' }),
  isActive: boolean('is_active').notNull().default(true),
  /** The Stripe price that sells this plan through Checkout (migration 0023); null: not for sale there. */
  stripePriceId: text('stripe_price_id').unique('subscription_plans_stripe_price_id_key'),
  ...timestamps,
});

export const features = pgTable('features', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique('features_code_key'),
  name: text('name').notNull(),
  description: text('description'),
  ...timestamps,
});

export const planFeatures = pgTable(
  'plan_features',
  {
    planId: uuid('plan_id').notNull(),
    featureId: uuid('feature_id').notNull(),
    ...timestamps,
  },
  (t) => [
    pk(t.planId, t.featureId),
    fk([t.planId], [subscriptionPlans.id], 'cascade'),
    fk([t.featureId], [features.id], 'cascade'),
    index('plan_features_feature_id_idx').on(t.featureId),
  ],
);
