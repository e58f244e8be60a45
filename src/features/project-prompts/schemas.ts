import { z } from '@hono/zod-openapi';
import { promptRoles } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

export const ProjectPrompt = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    conversationId: z.uuid(),
    userId: z.uuid().nullable(),
    role: z.enum(promptRoles),
    content: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    tokens: z.int().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('ProjectPrompt');

export const AppendPromptBody = z
  .strictObject({
    /** The conversation to continue; leave it out to start a new one (its id comes back on the message). */
    conversationId: z.uuid().optional(),
    role: z.enum(promptRoles),
    content: z.string().min(1).max(200_000),
    provider: z.string().trim().min(1).max(100).nullish(),
    model: z.string().trim().min(1).max(200).nullish(),
    tokens: z.int().min(0).max(100_000_000).nullish(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('AppendPrompt');

export { ProjectParams };

/** Messages in the order they were added (ids are time-ordered). */
export const PromptListQuery = PageQuery.extend({
  conversationId: z.uuid().optional(),
  role: z.enum(promptRoles).optional(),
});

export const ProjectPromptPage = pageOf(ProjectPrompt, 'ProjectPromptPage');

export type AppendPromptInput = z.infer<typeof AppendPromptBody>;
export type PromptListFilter = z.infer<typeof PromptListQuery>;
