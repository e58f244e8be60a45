import { z } from '@hono/zod-openapi';
import { epicStatuses } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

export const Epic = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(epicStatuses),
    ownerId: z.uuid().nullable(),
    startDate: z.iso.date().nullable(),
    targetDate: z.iso.date().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Epic');

const epicFields = {
  title: z.string().trim().min(1).max(500),
  description: z.string().max(50_000).nullish(),
  status: z.enum(epicStatuses).optional(),
  ownerId: z.uuid().nullish(),
  startDate: z.iso.date().nullish(),
  targetDate: z.iso.date().nullish(),
};

type Dates = { startDate?: string | null; targetDate?: string | null };
/** ISO dates compare correctly as strings. */
const datesInOrder = (body: Dates) => !body.startDate || !body.targetDate || body.targetDate >= body.startDate;
const datesMessage = { message: 'targetDate must not be before startDate', path: ['targetDate'] };

export const CreateEpicBody = z.strictObject(epicFields).refine(datesInOrder, datesMessage).openapi('CreateEpic');

export const UpdateEpicBody = z
  .strictObject(epicFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .refine(datesInOrder, datesMessage)
  .openapi('UpdateEpic');

export { ProjectParams };

export const EpicListQuery = PageQuery.extend({ status: z.enum(epicStatuses).optional() });

export const EpicPage = pageOf(Epic, 'EpicPage');

export type CreateEpicInput = z.infer<typeof CreateEpicBody>;
export type UpdateEpicInput = z.infer<typeof UpdateEpicBody>;
export type EpicListFilter = z.infer<typeof EpicListQuery>;
