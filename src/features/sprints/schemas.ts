import { z } from '@hono/zod-openapi';
import { sprintStatuses } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

export const Sprint = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    name: z.string(),
    goal: z.string().nullable(),
    startDate: z.iso.date().nullable(),
    endDate: z.iso.date().nullable(),
    status: z.enum(sprintStatuses),
    /** Story points of the sprint's done tasks, recorded when it completes. */
    velocity: z.int().nullable(),
    completedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Sprint');

// Status is not among them: it moves only through start and complete.
const sprintFields = {
  name: z.string().trim().min(1).max(200),
  goal: z.string().max(10_000).nullish(),
  startDate: z.iso.date().nullish(),
  endDate: z.iso.date().nullish(),
};

type Dates = { startDate?: string | null; endDate?: string | null };
/** ISO dates compare correctly as strings. */
const datesInOrder = (body: Dates) => !body.startDate || !body.endDate || body.endDate >= body.startDate;
const datesMessage = { message: 'endDate must not be before startDate', path: ['endDate'] };

export const CreateSprintBody = z.strictObject(sprintFields).refine(datesInOrder, datesMessage).openapi('CreateSprint');

export const UpdateSprintBody = z
  .strictObject(sprintFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .refine(datesInOrder, datesMessage)
  .openapi('UpdateSprint');

export const CompleteSprintBody = z
  .strictObject({
    /** Where the sprint's unfinished tasks (neither done nor canceled) go: `backlog`, or a planning sprint of the same project. */
    moveUnfinishedTo: z.union([z.literal('backlog'), z.uuid()]).openapi({ description: '`backlog`, or the id of a planning or active sprint of the same project', example: 'backlog' }),
  })
  .openapi('CompleteSprint');

export const CompletedSprint = Sprint.extend({
  /** How many unfinished tasks left the sprint for `moveUnfinishedTo`. */
  movedTaskCount: z.int(),
}).openapi('CompletedSprint');

export { ProjectParams };

export const SprintListQuery = PageQuery.extend({ status: z.enum(sprintStatuses).optional() });

export const SprintPage = pageOf(Sprint, 'SprintPage');

export type CreateSprintInput = z.infer<typeof CreateSprintBody>;
export type UpdateSprintInput = z.infer<typeof UpdateSprintBody>;
export type CompleteSprintInput = z.infer<typeof CompleteSprintBody>;
export type SprintListFilter = z.infer<typeof SprintListQuery>;
