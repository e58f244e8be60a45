import { z } from '@hono/zod-openapi';
import { predictionTypes } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

const byPercentile = <T extends z.ZodType>(value: T) => z.record(z.string(), value).openapi({ example: { '50': 3, '85': 5, '95': 6 } });

/** A forecast's outcome; delivery forecasts fill every field, other kinds may carry fewer. */
const PredictionResult = z
  .looseObject({
    /** Completion dates (YYYY-MM-DD) keyed by percentile. */
    percentiles: byPercentile(z.union([z.string(), z.number()])).optional(),
    /** Whole weeks from the forecast keyed by percentile. */
    weeks: byPercentile(z.number()).optional(),
    mean: z.number().optional(),
    standardDeviation: z.number().optional(),
    simulations: z.int().optional(),
    summary: z.string().optional(),
  })
  .openapi('PredictionResult');

export const Prediction = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    predictionType: z.enum(predictionTypes),
    method: z.string(),
    /** In [0, 1]. */
    confidence: z.number().nullable(),
    result: PredictionResult,
    inputSummary: z.record(z.string(), z.unknown()).nullable(),
    validUntil: z.iso.datetime().nullable(),
    createdById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Prediction');

/** The answer instead of a forecast when the project's own history is too short to learn from; nothing is stored. */
export const InsufficientHistory = z
  .object({
    insufficientHistory: z.literal(true),
    /** In words: what is missing and what to do. */
    reason: z.string(),
    /** Weeks since the project's history began (creation, or its earliest task). */
    weeksOfHistory: z.number(),
    /** Tasks completed within those weeks (at most historyWeeks). */
    completedTasks: z.int(),
    minimumWeeks: z.int(),
    minimumCompletedTasks: z.int(),
  })
  .openapi('InsufficientHistory');

export const DeliveryForecastBody = z
  .strictObject({
    /** How many past weeks of completed tasks to sample throughput from. */
    historyWeeks: z.int().min(2).max(104).default(12),
    /** Fixes the simulation's random numbers; by default derived from the project id, so a repeat gives the same answer. */
    seed: z.int().min(0).max(4_294_967_295).optional(),
  })
  .openapi('DeliveryForecastRequest');

export { ProjectParams };

export const PredictionListQuery = PageQuery.extend({
  predictionType: z.enum(predictionTypes).optional(),
});

export const PredictionPage = pageOf(Prediction, 'PredictionPage');

export type DeliveryForecastInput = z.infer<typeof DeliveryForecastBody>;
export type PredictionListFilter = z.infer<typeof PredictionListQuery>;
