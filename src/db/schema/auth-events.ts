// Sign-in trail (migration 0005): platform-wide, no tenant.
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
