import { z } from '@hono/zod-openapi';
import { webhookDeliveryStatuses, webhookEvents, webhookSubscriptionStatuses } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

const events = z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length).refine((list) => new Set(list).size === list.length, 'events must not repeat');
const url = z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }).max(2000);

/** A subscription as the API shows it: the secret never, after the answer that created it. */
export const WebhookSubscription = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(webhookEvents)),
    status: z.enum(webhookSubscriptionStatuses),
    failingSince: z.iso.datetime().nullable(),
    disabledReason: z.string().nullable(),
    createdById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('WebhookSubscription');

export const CreatedWebhookSubscription = WebhookSubscription.extend({
  /** Shown this once: receivers check X-Tenantry-Signature with it. */
  secret: z.string(),
}).openapi('CreatedWebhookSubscription');

export const CreateWebhookBody = z
  .strictObject({
    url,
    events,
    /** Your own signing secret (16 to 200 characters); one is generated when absent. */
    secret: z.string().min(16).max(200).optional(),
  })
  .openapi('CreateWebhookSubscription');

export const UpdateWebhookBody = z
  .strictObject({
    url,
    events,
    /** `active` again after a disable starts a fresh day of grace. */
    status: z.enum(webhookSubscriptionStatuses),
  })
  .partial()
  .openapi('UpdateWebhookSubscription');

export const WebhookDelivery = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    event: z.enum(webhookEvents),
    body: z.string(),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    redeliveryOfId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('WebhookDelivery');

export const RedeliverBody = z
  .strictObject({
    /** The logged delivery of this subscription to send again. */
    redeliveryOfId: z.uuid(),
  })
  .openapi('Redeliver');

export const WebhookPage = pageOf(WebhookSubscription, 'WebhookSubscriptionPage');
export const WebhookDeliveryPage = pageOf(WebhookDelivery, 'WebhookDeliveryPage');
export const WebhookListQuery = PageQuery;

export type CreateWebhookInput = z.infer<typeof CreateWebhookBody>;
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookBody>;
