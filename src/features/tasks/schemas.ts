import { z } from '@hono/zod-openapi';
import { taskPriorities, taskStatuses, taskTypes } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams } from '../../http/openapi.js';

export const Task = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    number: z.int(),
    /** The project key and the number, e.g. WEB-42. */
    reference: z.string(),
    type: z.enum(taskTypes),
    epicId: z.uuid().nullable(),
    sprintId: z.uuid().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    acceptanceCriteria: z.string().nullable(),
    status: z.enum(taskStatuses),
    priority: z.enum(taskPriorities),
    storyPoints: z.int().nullable(),
    assigneeId: z.uuid().nullable(),
    createdById: z.uuid().nullable(),
    dueDate: z.iso.datetime().nullable(),
    completedAt: z.iso.datetime().nullable(),
    position: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Task');

const taskFields = {
  title: z.string().trim().min(1).max(500),
  description: z.string().max(50_000).nullish(),
  acceptanceCriteria: z.string().max(20_000).nullish(),
  type: z.enum(taskTypes).optional(),
  status: z.enum(taskStatuses).optional(),
  priority: z.enum(taskPriorities).optional(),
  storyPoints: z.int().min(0).max(100).nullish(),
  assigneeId: z.uuid().nullish(),
  epicId: z.uuid().nullish(),
  sprintId: z.uuid().nullish(),
  dueDate: z.iso.datetime({ offset: true }).nullish(),
};

export const CreateTaskBody = z.strictObject(taskFields).openapi('CreateTask');

export const UpdateTaskBody = z
  .strictObject(taskFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .openapi('UpdateTask');

export const BulkCreateTasksBody = z
  .strictObject({ items: z.array(CreateTaskBody).min(1).max(100) })
  .openapi('BulkCreateTasks');

export const TaskList = z.object({ items: z.array(Task) }).openapi('TaskList');

export { ProjectParams };

export const TaskListQuery = PageQuery.extend({
  status: z.enum(taskStatuses).optional(),
  type: z.enum(taskTypes).optional(),
  priority: z.enum(taskPriorities).optional(),
  assigneeId: z.uuid().optional(),
  sprintId: z.uuid().optional(),
  epicId: z.uuid().optional(),
  dueBefore: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
  /** Web-search syntax over title, description and acceptance criteria: `login -oauth "error page"`. */
  q: z.string().trim().min(1).max(200).optional(),
});

export const TaskPage = pageOf(Task, 'TaskPage');

export type CreateTaskInput = z.infer<typeof CreateTaskBody>;
export type UpdateTaskInput = z.infer<typeof UpdateTaskBody>;
export type TaskListFilter = z.infer<typeof TaskListQuery>;
