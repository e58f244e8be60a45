// Outgoing webhooks and the links GitHub makes to tasks (migration 0026).
import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, fk, timestamps, timestamptz, uniqueKey } from './common.js';
import { integrations } from './ai-integrations.js';
import { tenantColumns, tenantKeys } from './organizations.js';
import { tasks } from './work.js';

/** What a subscription may ask for; every one is sent from the service that makes the change. */
export const webhookEvents = ['task.created', 'task.updated', 'task.deleted', 'comment.created', 'sprint.started', 'sprint.completed'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export const webhookSubscriptionStatuses = ['active', 'disabled'] as const;
export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export const webhookSubscriptions = pgTable(
  'webhooks',
  {
    ...tenantColumns,
    url: text('url').notNull(),
    events: text('events', { enum: webhookEvents }).array().notNull(),
    secretCiphertext: bytea('secret_ciphertext').notNull(),
    status: text('status', { enum: webhookSubscriptionStatuses }).notNull().default('active'),
    /** The first failure of the current run of failures; null while deliveries succeed. */
    failingSince: timestamptz('failing_since'),
    disabledReason: text('disabled_reason'),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [...tenantKeys(t)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    ...tenantColumns,
    subscriptionId: uuid('subscription_id').notNull(),
    event: text('event', { enum: webhookEvents }).notNull(),
    /** The exact bytes signed and sent. */
    body: text('body').notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    deliveredAt: timestamptz('delivered_at'),
    redeliveryOfId: uuid('redelivery_of_id'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.subscriptionId], [webhookSubscriptions.organizationId, webhookSubscriptions.id], 'cascade'),
    // The log's order, newest first (migration 0032).
    index('webhook_deliveries_org_subscription_created_at_idx').on(t.organizationId, t.subscriptionId, t.createdAt.desc(), t.id.desc()),
  ],
);

/**
 * An event a subscription wanted, recorded by the writing transaction and waiting for the
 * dispatcher to make its delivery and job (migration 0037); deleted when it has.
 */
export const webhookOutbox = pgTable(
  'webhook_outbox',
  {
    ...tenantColumns,
    event: text('event', { enum: webhookEvents }).notNull(),
    /** An active subscriber to `event` when the change was made. */
    subscriptionId: uuid('subscription_id').notNull(),
    /** The exact bytes each delivery signs and sends: the object as it was at the change. */
    body: text('body').notNull(),
    ...timestamps,
  },
  (t) => [...tenantKeys(t)],
);

export const taskLinkKinds = ['commit', 'pull_request'] as const;

export const taskLinks = pgTable(
  'task_links',
  {
    ...tenantColumns,
    taskId: uuid('task_id').notNull(),
    integrationId: uuid('integration_id').notNull(),
    kind: text('kind', { enum: taskLinkKinds }).notNull(),
    url: text('url').notNull(),
    title: text('title').notNull(),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.taskId, t.url),
    fk([t.organizationId, t.taskId], [tasks.organizationId, tasks.id], 'cascade'),
    fk([t.organizationId, t.integrationId], [integrations.organizationId, integrations.id], 'cascade'),
    index('task_links_organization_id_integration_id_idx').on(t.organizationId, t.integrationId),
  ],
);
