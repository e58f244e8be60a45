import { z } from '@hono/zod-openapi';
import { mailDeliveryStatuses } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

export const MailDelivery = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    /** Which mail it is: `invitation`, ... */
    template: z.string(),
    recipient: z.string(),
    subject: z.string(),
    /** `retrying`: the last attempt failed and another is scheduled; `failed`: given up. */
    status: z.enum(mailDeliveryStatuses),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.iso.datetime().nullable(),
    /** The user whose action queued the mail (an admin's invitation); null for the system's (a digest). */
    requestedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('MailDelivery');

export const MailDeliveryListQuery = PageQuery.extend({ status: z.enum(mailDeliveryStatuses).optional() });
export const MailDeliveryPage = pageOf(MailDelivery, 'MailDeliveryPage');

export type MailDeliveryListFilter = z.infer<typeof MailDeliveryListQuery>;
