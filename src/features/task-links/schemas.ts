import { z } from '@hono/zod-openapi';
import { taskLinkKinds } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';
import { TaskHistoryParams } from '../task-history/schemas.js';

/** A commit or pull request that named the task, as the GitHub webhook linked it. */
export const TaskLink = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    /** The integration whose webhook made the link. */
    integrationId: z.uuid(),
    kind: z.enum(taskLinkKinds),
    url: z.string(),
    title: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('TaskLink');

/** The task by id or reference (ACME-7), as for its history. */
export const TaskLinksParams = TaskHistoryParams;
export const TaskLinksQuery = PageQuery;
export const TaskLinkPage = pageOf(TaskLink, 'TaskLinkPage');

export type TaskLinksFilter = z.infer<typeof TaskLinksQuery>;
