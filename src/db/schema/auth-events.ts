// Sign-in trail (migration 0005): platform-wide, no tenant.
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './common.js';

export const authEventActions = ['auth.sign_in', 'auth.sign_out', 'auth.sign_in_failed'] as const;

export const authEvents = pgTable(
  'auth_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id'),
    email: text('email'),
    action: text('action', { enum: authEventActions }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    ...timestamps,
  },
  (t) => [
    index('auth_events_user_id_created_at_idx').on(t.userId, t.createdAt.desc()),
    index('auth_events_email_created_at_idx').on(t.email, t.createdAt.desc()),
  ],
);

// Failed sign-ins per client address and per email (migration 0009): platform-wide, no tenant.
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    kind: text('kind', { enum: ['address', 'email'] }).notNull(),
    subject: text('subject').notNull(),
    failures: integer('failures').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.subject] }),
    index('sign_in_failures_window_started_at_idx').on(t.windowStartedAt),
  ],
);

// Better Auth's request limits per client address and path (migration 0031): platform-wide, no tenant.
export const authRequestLimits = pgTable(
  'auth_request_limits',
  {
    key: text('key').primaryKey(),
    requests: integer('requests').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index('auth_request_limits_expires_at_idx').on(t.expiresAt)],
);
