import { z } from '@hono/zod-openapi';
import { generationTasks } from '../../db/schema/index.js';
import { OrgParams, OrgResourceParams } from '../../http/openapi.js';
import { AiGeneration } from '../ai-generations/schemas.js';
import { Task } from '../tasks/schemas.js';

export { OrgParams, OrgResourceParams };

export const GenerateBody = z
  .strictObject({
    providerId: z.uuid(),
    /** stories: user stories with acceptance criteria (from documentId), proposed only; document: a PRD or draft; chat: the project's conversation; sprint-summary. */
    task: z.enum(generationTasks),
    prompt: z.string().trim().min(1).max(100_000),
    /** Required for chat; the project whose context the model is given. */
    projectId: z.uuid().optional(),
    /** The document stories are written from (its project is the generation's project). */
    documentId: z.uuid().optional(),
    /** sprint-summary: the sprint; without it, the project's active (else latest) sprint. */
    sprintId: z.uuid().optional(),
    /** chat: the conversation to continue; without it a new one starts (its id is in the record's metadata). */
    conversationId: z.uuid().optional(),
    /** The most the model may write; reserved against the budget with the prompt's estimate. */
    maxOutputTokens: z.int().min(1).max(64_000).default(1024),
  })
  .openapi('Generate');

/** A generation record: what the provider reported (`inputTokens`, `outputTokens`), its cost and the price version used. */
export const AiGenerationRecord = AiGeneration.extend({
  inputTokens: z.int(),
  outputTokens: z.int(),
  /** Exact decimal text in the price table's currency; "0" when the model has no price. */
  cost: z.string().openapi({ example: '0.00042' }),
}).openapi('AiGenerationRecord');

export const AcceptStoriesBody = z
  .strictObject({
    /** Where the tasks go; the generation's project when left out. */
    projectId: z.uuid().optional(),
    /** Which proposals (0-based positions in metadata.proposals); all when left out. */
    stories: z.array(z.int().min(0).max(99)).min(1).max(100).optional(),
  })
  .openapi('AcceptStories');

export const AcceptedStories = z
  .object({ generation: AiGenerationRecord, tasks: z.array(Task) })
  .openapi('AcceptedStories');

export const AiBudget = z
  .object({
    month: z.iso.date(),
    /** The budget in force (the smaller of the two below); null: unlimited. */
    budget: z.int().nullable(),
    organizationBudget: z.int().nullable(),
    planBudget: z.int().nullable(),
    used: z.int(),
    reserved: z.int(),
  })
  .openapi('AiBudget');

export type GenerateInput = z.infer<typeof GenerateBody>;
export type AcceptStoriesInput = z.infer<typeof AcceptStoriesBody>;
