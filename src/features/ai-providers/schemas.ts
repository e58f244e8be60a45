import { z } from '@hono/zod-openapi';
import { aiProviderKinds, aiProviderStatuses } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

/** A provider as the API shows it: the API key itself is never returned, only its hint. */
export const AiProvider = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    /** What the provider speaks: `openai`, `anthropic` or `openai-compatible` can be called. */
    kind: z.enum(aiProviderKinds),
    /** The model generations use (the same value as `defaultModel`). */
    model: z.string().nullable(),
    /** The older name of `kind`. */
    provider: z.enum(aiProviderKinds),
    name: z.string(),
    defaultModel: z.string().nullable(),
    baseUrl: z.string().nullable(),
    /** E.g. `sk-…abcd`; null when no key is stored. */
    apiKeyHint: z.string().nullable(),
    hasApiKey: z.boolean(),
    isDefault: z.boolean(),
    status: z.enum(aiProviderStatuses),
    createdById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('AiProvider');

const apiKey = z.string().trim().min(1).max(4096);

const model = z.string().trim().min(1).max(200);

const providerFields = {
  name: z.string().trim().min(1).max(200),
  /** Where the provider's API lives; checked against private addresses (OUTBOUND_ALLOW_PRIVATE). */
  baseUrl: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
  isDefault: z.boolean().optional(),
  status: z.enum(aiProviderStatuses).optional(),
};

/** `{kind, baseUrl?, apiKey, model}` is a whole provider; the name defaults to the kind and model. */
export const CreateAiProviderBody = z
  .strictObject({
    kind: z.enum(aiProviderKinds),
    model: model.optional(),
    ...providerFields,
    name: providerFields.name.optional(),
    apiKey: apiKey.optional(),
  })
  .openapi('CreateAiProvider');

export const UpdateAiProviderBody = z
  .strictObject({
    ...providerFields,
    model: model.nullable(),
    /** A new key replaces the stored one; null removes it. */
    apiKey: apiKey.nullable(),
  })
  .partial()
  .openapi('UpdateAiProvider');

export const AiProviderListQuery = PageQuery.extend({
  provider: z.enum(aiProviderKinds).optional(),
  status: z.enum(aiProviderStatuses).optional(),
});

export const AiProviderPage = pageOf(AiProvider, 'AiProviderPage');

export type CreateAiProviderInput = z.infer<typeof CreateAiProviderBody>;
export type UpdateAiProviderInput = z.infer<typeof UpdateAiProviderBody>;
export type AiProviderListFilter = z.infer<typeof AiProviderListQuery>;
