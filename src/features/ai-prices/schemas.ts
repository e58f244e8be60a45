import { z } from '@hono/zod-openapi';
import { aiProviderKinds } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

/** Exact decimal text per million tokens, e.g. "0.15". */
const perMillion = z.string().openapi({ example: '0.15' });

export const AiModelPrice = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    kind: z.enum(aiProviderKinds),
    model: z.string(),
    /** 1 for a model's first price, one more for each edit; generations name the version they used. */
    version: z.int(),
    inputPerMillion: perMillion,
    outputPerMillion: perMillion,
    createdById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('AiModelPrice');

/** A decimal with at most six places, as text or a number, below a million. */
const price = z
  .union([
    z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'a decimal such as 0.15 (at most 6 places)').openapi({ example: '0.15' }),
    z.number().min(0).max(999_999),
  ])
  .transform((value) => (typeof value === 'number' ? value.toFixed(6) : value));

export const SetAiModelPriceBody = z
  .strictObject({
    kind: z.enum(aiProviderKinds),
    model: z.string().trim().min(1).max(200),
    inputPerMillion: price,
    outputPerMillion: price,
  })
  .openapi('SetAiModelPrice');

export const AiModelPriceListQuery = PageQuery.extend({
  /** `true`: every version, oldest first per model; otherwise only each model's current price. */
  history: z.enum(['true', 'false']).optional(),
  model: z.string().max(200).optional(),
});

export const AiModelPricePage = pageOf(AiModelPrice, 'AiModelPricePage');

export type SetAiModelPriceInput = z.infer<typeof SetAiModelPriceBody>;
export type AiModelPriceListFilter = z.infer<typeof AiModelPriceListQuery>;
