import { z } from '@hono/zod-openapi';
import { templateCategories } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

export const Template = z
  .object({
    id: z.uuid(),
    /** null for a public template, published by the platform and readable by every organization. */
    organizationId: z.uuid().nullable(),
    isPublic: z.boolean(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.enum(templateCategories),
    content: z.record(z.string(), z.unknown()),
    createdById: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Template');

export const CreateTemplateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).nullish(),
    category: z.enum(templateCategories),
    content: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('CreateTemplate');

export const UpdateTemplateBody = CreateTemplateBody.partial()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change')
  .openapi('UpdateTemplate');

export const TemplateListQuery = PageQuery.extend({
  category: z.enum(templateCategories).optional(),
  /** `organization`: only this organization's own; `public`: only the platform's; absent: both. */
  scope: z.enum(['organization', 'public']).optional(),
});

export const TemplatePage = pageOf(Template, 'TemplatePage');

export type CreateTemplateInput = z.infer<typeof CreateTemplateBody>;
export type UpdateTemplateInput = z.infer<typeof UpdateTemplateBody>;
export type TemplateListFilter = z.infer<typeof TemplateListQuery>;
