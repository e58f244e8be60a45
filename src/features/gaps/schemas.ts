import { z } from '@hono/zod-openapi';
import { gapSeverities, gapStatuses, gapTypes } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

const RootCauseAnalysis = z
  .strictObject({
    causes: z
      .array(
        z.strictObject({
          description: z.string().trim().min(1).max(2000),
          category: z.enum(gapTypes).optional(),
          confidence: z.number().min(0).max(1).optional(),
        }),
      )
      .max(50),
    contributingFactors: z.array(z.string().trim().min(1).max(1000)).max(50),
    /** How the analysis was made, e.g. "five_whys" or "fishbone". */
    method: z.string().trim().min(1).max(100).optional(),
  })
  .openapi('RootCauseAnalysis');

const GapRecommendation = z
  .strictObject({
    title: z.string().trim().min(1).max(500),
    description: z.string().max(5000).optional(),
    priority: z.enum(gapSeverities).optional(),
    effort: z.enum(['low', 'medium', 'high']).optional(),
  })
  .openapi('GapRecommendation');

export const Gap = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    gapType: z.enum(gapTypes),
    severity: z.enum(gapSeverities),
    status: z.enum(gapStatuses),
    rootCauseAnalysis: RootCauseAnalysis.nullable(),
    impact: z.string().nullable(),
    recommendations: z.array(GapRecommendation).nullable(),
    identifiedById: z.uuid().nullable(),
    resolvedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Gap');

const gapFields = {
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).nullish(),
  gapType: z.enum(gapTypes),
  severity: z.enum(gapSeverities).optional(),
  rootCauseAnalysis: RootCauseAnalysis.nullish(),
  impact: z.string().max(20_000).nullish(),
  recommendations: z.array(GapRecommendation).max(50).nullish(),
};

/** New gaps start as `identified`; the status moves by update, along the allowed transitions. */
export const CreateGapBody = z.strictObject(gapFields).openapi('CreateGap');

export const UpdateGapBody = z
  .strictObject({ ...gapFields, status: z.enum(gapStatuses) })
  .partial()
  .openapi('UpdateGap');

export { ProjectParams };

export const GapListQuery = PageQuery.extend({
  status: z.enum(gapStatuses).optional(),
  severity: z.enum(gapSeverities).optional(),
  gapType: z.enum(gapTypes).optional(),
});

export const GapPage = pageOf(Gap, 'GapPage');

export type CreateGapInput = z.infer<typeof CreateGapBody>;
export type UpdateGapInput = z.infer<typeof UpdateGapBody>;
export type GapListFilter = z.infer<typeof GapListQuery>;
