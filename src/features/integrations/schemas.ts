import { z } from '@hono/zod-openapi';
import { integrationStatuses, integrationTypes } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

/** An integration as the API shows it: credentials are never returned, only whether some are stored. */
export const Integration = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    type: z.enum(integrationTypes),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    hasCredentials: z.boolean(),
    status: z.enum(integrationStatuses),
    lastSyncAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    createdById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Integration');

const MAX_JSON_CHARS = 16_384;
const jsonObject = (what: string) =>
  z
    .record(z.string().min(1).max(200), z.unknown())
    .refine((value) => JSON.stringify(value).length <= MAX_JSON_CHARS, `${what} must be at most ${MAX_JSON_CHARS} characters as JSON`);

const integrationFields = {
  name: z.string().trim().min(1).max(200),
  /** Non-secret settings only (project keys, channel names); secrets go in credentials. */
  config: jsonObject('config').optional(),
  status: z.enum(integrationStatuses).optional(),
};

export const CreateIntegrationBody = z
  .strictObject({
    type: z.enum(integrationTypes),
    ...integrationFields,
    /** Tokens, passwords, webhook secrets: encrypted at rest and never returned. */
    credentials: jsonObject('credentials').optional(),
  })
  .openapi('CreateIntegration');

export const UpdateIntegrationBody = z
  .strictObject({
    ...integrationFields,
    /** New credentials replace the stored ones; null removes them. */
    credentials: jsonObject('credentials').nullable(),
    lastError: z.string().max(2000).nullable(),
  })
  .partial()
  .openapi('UpdateIntegration');

export const IntegrationListQuery = PageQuery.extend({
  type: z.enum(integrationTypes).optional(),
  status: z.enum(integrationStatuses).optional(),
});

export const IntegrationPage = pageOf(Integration, 'IntegrationPage');

export type CreateIntegrationInput = z.infer<typeof CreateIntegrationBody>;
export type UpdateIntegrationInput = z.infer<typeof UpdateIntegrationBody>;
export type IntegrationListFilter = z.infer<typeof IntegrationListQuery>;
