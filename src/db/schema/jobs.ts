// The job queue (platform) and the per-organization mail record (tenant), migration 0020.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from './common.js';
import { tenantColumns, tenantKeys } from './organizations.js';

export const jobStatuses = ['queued', 'running', 'sending', 'done', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamptz('run_at').notNull().defaultNow(),
    leaseToken: uuid('lease_token'),
    lockedUntil: timestamptz('locked_until'),
    lastError: text('last_error'),
    finishedAt: timestamptz('finished_at'),
    ...timestamps,
  },
  (t) => [
    index('jobs_due_idx').on(t.runAt).where(sql`status = 'queued'`),
    index('jobs_lease_idx').on(t.lockedUntil).where(sql`status in ('running', 'sending')`),
    index('jobs_finished_at_idx').on(t.finishedAt).where(sql`finished_at is not null`),
    index('jobs_mail_recipient_idx').on(sql`lower(payload ->> 'to')`, t.createdAt).where(sql`kind = 'mail.send'`),
  ],
);

export const mailDeliveryStatuses = ['queued', 'sending', 'retrying', 'sent', 'failed'] as const;
export type MailDeliveryStatus = (typeof mailDeliveryStatuses)[number];

export const mailDeliveries = pgTable(
  'mail_deliveries',
  {
    organizationId: tenantColumns.organizationId,
    id: uuid('id').notNull(),
    jobId: uuid('job_id').notNull(),
    template: text('template').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    status: text('status', { enum: mailDeliveryStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamptz('sent_at'),
    /** Whose action queued it; null for the system's (migration 0029). */
    requestedBy: uuid('requested_by'),
    ...timestamps,
  },
  (t) => tenantKeys(t),
);
