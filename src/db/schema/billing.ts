// Stripe events (migration 0023): each verified event once, by Stripe's id; platform-wide.
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from './common.js';

export const billingEvents = pgTable('billing_events', {
  /** Stripe's event id (`evt_…`). */
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  processedAt: timestamptz('processed_at'),
  ...timestamps,
});
