import { z } from '@hono/zod-openapi';
import { activityActions } from '../activity/describe.js';
import { OrgParams, PageQuery, pageOf } from '../../http/openapi.js';

/** A task's UUID or its reference (`ACME-7`; the key is matched case-insensitively). */
export const taskIdOrRef = z.union([z.uuid(), z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,9}-[1-9][0-9]{0,9}$/, 'a task id or a reference like ACME-7')]);

export const TaskHistoryParams = OrgParams.extend({
  id: taskIdOrRef.openapi({ param: { name: 'id', in: 'path' }, description: 'Task id or reference (ACME-7)' }),
});

export const TaskHistoryQuery = PageQuery;

const Person = z.object({ id: z.uuid(), name: z.string(), image: z.string().nullable() }).openapi('HistoryActor');

export const TaskHistoryEntry = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime(),
    /** Who did it; null for the system or for someone who is no longer a member. */
    actor: Person.nullable(),
    action: z.enum(activityActions),
    /** The fields that changed, with the API's field names (`assigneeId`, `storyPoints`, …). */
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  })
  .openapi('TaskHistoryEntry');

export const TaskHistoryPage = pageOf(TaskHistoryEntry, 'TaskHistoryPage');

export type TaskHistoryFilter = z.infer<typeof TaskHistoryQuery>;
