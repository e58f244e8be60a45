import { z } from '@hono/zod-openapi';
import { generationStatuses, generationTasks, generationTypes } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

/** Exact decimal text, as PostgreSQL's numeric(12,6) holds it, e.g. "0.012300". */
const money = z.string().openapi({ example: '0.012300' });

export const AiGeneration = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid().nullable(),
    userId: z.uuid().nullable(),
    aiProviderId: z.uuid().nullable(),
    generationType: z.enum(generationTypes),
    provider: z.string(),
    model: z.string(),
    prompt: z.string().nullable(),
    response: z.string().nullable(),
    promptTokens: z.int(),
    completionTokens: z.int(),
    totalTokens: z.int(),
    cost: money,
    latencyMs: z.int().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    /** Set for generations the server made (`POST …/ai/generate`); null for recorded ones. */
    task: z.enum(generationTasks).nullable(),
    /** reserved while the call runs; recorded generations are succeeded. */
    status: z.enum(generationStatuses),
    reservedTokens: z.int(),
    /** The price table version the cost was computed with; null without a price. */
    priceVersion: z.int().nullable(),
    /** The provider's error in words when status is failed. */
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('AiGeneration');

const tokens = z.int().min(0).max(100_000_000);

export const CreateAiGenerationBody = z
  .strictObject({
    projectId: z.uuid().nullish(),
    aiProviderId: z.uuid().nullish(),
    generationType: z.enum(generationTypes),
    provider: z.string().trim().min(1).max(100),
    model: z.string().trim().min(1).max(200),
    prompt: z.string().max(200_000).nullish(),
    response: z.string().max(200_000).nullish(),
    promptTokens: tokens.default(0),
    completionTokens: tokens.default(0),
    /** In the organization's billing currency; stored with six decimals. */
    cost: z.number().min(0).max(999_999).default(0),
    latencyMs: z.int().min(0).max(86_400_000).nullish(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('CreateAiGeneration');

/** A date (`2025-01-01`, midnight UTC) or a date-time with offset. */
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

const Period = z.object({
  /** Inclusive. */
  from: instant.optional(),
  /** Exclusive. */
  to: instant.optional(),
});

export const AiGenerationListQuery = PageQuery.extend({
  ...Period.shape,
  projectId: z.uuid().optional(),
  aiProviderId: z.uuid().optional(),
  userId: z.uuid().optional(),
  generationType: z.enum(generationTypes).optional(),
  provider: z.string().max(100).optional(),
  model: z.string().max(200).optional(),
});

export const AiGenerationPage = pageOf(AiGeneration, 'AiGenerationPage');

export const AiUsageQuery = Period;

const usageFigures = {
  generations: z.int(),
  promptTokens: z.int(),
  completionTokens: z.int(),
  totalTokens: z.int(),
  cost: money,
};

export const AiUsage = z
  .object({
    from: z.iso.datetime().nullable(),
    to: z.iso.datetime().nullable(),
    /** One row per calendar month (UTC), provider and model, oldest month first. */
    items: z.array(z.object({ month: z.string().openapi({ example: '2025-01' }), provider: z.string(), model: z.string(), ...usageFigures })),
    totals: z.object(usageFigures),
  })
  .openapi('AiUsage');

export type CreateAiGenerationInput = z.infer<typeof CreateAiGenerationBody>;
export type AiGenerationListFilter = z.infer<typeof AiGenerationListQuery>;
export type AiUsagePeriod = z.infer<typeof AiUsageQuery>;
