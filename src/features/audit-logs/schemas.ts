import { z } from '@hono/zod-openapi';
import { PageQuery, pageOf } from '../../http/openapi.js';

export const AuditLog = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    actorUserId: z.uuid().nullable(),
    /** `insert`, `update` or `delete` for row changes; `auth.*` and `app.*` for events. */
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.uuid().nullable(),
    changedFields: z.array(z.string()).nullable(),
    /** Row images without secrets (`*_ciphertext`, `wrapped_data_key`) or search vectors. */
    oldValues: z.record(z.string(), z.unknown()).nullable(),
    newValues: z.record(z.string(), z.unknown()).nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('AuditLog');

export const AuditLogListQuery = PageQuery.extend({
  actorId: z.uuid().optional(),
  resourceType: z.string().min(1).max(63).optional(),
  resourceId: z.uuid().optional(),
  /** Entries at or after this instant. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Entries before this instant. */
  to: z.iso.datetime({ offset: true }).optional(),
});

export const AuditLogPage = pageOf(AuditLog, 'AuditLogPage');

export type AuditLogListFilter = z.infer<typeof AuditLogListQuery>;
