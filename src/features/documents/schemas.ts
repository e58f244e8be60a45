import { z } from '@hono/zod-openapi';
import { documentStatuses, documentTypes } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

/** A document without its body, as lists show it. */
export const DocumentSummary = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    title: z.string(),
    slug: z.string(),
    type: z.enum(documentTypes),
    status: z.enum(documentStatuses),
    publishedAt: z.iso.datetime().nullable(),
    creatorId: z.uuid().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('DocumentSummary');

export const Document = DocumentSummary.extend({ content: z.string() }).openapi('Document');

const slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

export const CreateDocumentBody = z
  .strictObject({
    title: z.string().trim().min(1).max(300),
    /** Derived from the title when absent; unique within the project. */
    slug: slug.optional(),
    content: z.string().max(500_000).optional(),
    type: z.enum(documentTypes).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('CreateDocument');

/** Status changes go through publish and archive, so they are not editable here. */
export const UpdateDocumentBody = CreateDocumentBody.partial()
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change')
  .openapi('UpdateDocument');

export const DocumentListQuery = PageQuery.extend({
  type: z.enum(documentTypes).optional(),
  status: z.enum(documentStatuses).optional(),
  /** Full-text search over title and content (web-search syntax: words, "phrases", -excluded). */
  q: z.string().trim().min(1).max(200).optional(),
});

export { ProjectParams };

export const DocumentPage = pageOf(DocumentSummary, 'DocumentPage');

export type CreateDocumentInput = z.infer<typeof CreateDocumentBody>;
export type UpdateDocumentInput = z.infer<typeof UpdateDocumentBody>;
export type DocumentListFilter = z.infer<typeof DocumentListQuery>;
