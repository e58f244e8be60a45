import { z } from '@hono/zod-openapi';
import { taskPriorities, taskStatuses, taskTypes } from '../../db/schema/index.js';
import { OrgParams, PageQuery, ProjectParams, pageOf } from '../../http/openapi.js';
import { Person } from '../shared/person.js';
import { TASK_SORTS, type TaskSort } from './sort.js';


export const Task = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    /** Key of the task's project, e.g. ACME. */
    projectKey: z.string(),
    number: z.int(),
    /** The project key and the number, e.g. ACME-7; `GET …/tasks/ACME-7` finds the task. */
    ref: z.string(),
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
    assignee: Person.nullable(),
    createdById: z.uuid().nullable(),
    /** Who created the task (null once they leave the organization). */
    reporter: Person.nullable(),
    dueDate: z.iso.date().nullable(),
    completedAt: z.iso.datetime().nullable(),
    /** Order within the project: compare byte-wise (as `COLLATE "C"` does), never as numbers. */
    position: z.string(),
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
  dueDate: z.iso.date().nullish(),
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

/** A reference such as ACME-7: a project key (any case) and a task number below a billion. */
export const TASK_REF = /^([A-Za-z][A-Za-z0-9]{1,9})-([1-9][0-9]{0,8})$/;

/** `/orgs/{orgId}/tasks/{id}`: the task's id or its reference. */
export const TaskParams = OrgParams.extend({
  id: z
    .union([z.uuid(), z.string().regex(TASK_REF)])
    .openapi({ param: { name: 'id', in: 'path' }, description: 'Task id or reference (ACME-7)', example: 'ACME-7' }),
});

export const MoveTaskBody = z
  .strictObject({
    afterId: z.uuid().nullish().describe('Place the task right after this one (same project)'),
    beforeId: z.uuid().nullish().describe('Place the task right before this one (same project)'),
    status: z.enum(taskStatuses).optional().describe('Change the status in the same write (a move to another board column)'),
  })
  .openapi('MoveTask');

export const BulkUpdateTasksBody = z
  .strictObject({
    ids: z.array(z.uuid()).min(1).max(100),
    change: z
      .strictObject({
        status: z.enum(taskStatuses).optional(),
        priority: z.enum(taskPriorities).optional(),
        assigneeId: z.uuid().nullish(),
        sprintId: z.uuid().nullish(),
        epicId: z.uuid().nullish(),
      })
      .refine((change) => Object.keys(change).length > 0, 'name at least one field to change'),
  })
  .openapi('BulkUpdateTasks');

/**
 * A comma list of allowed values, e.g. `status=todo,in_progress`. Documented as the string it
 * is on the wire; parsed into a list, naming a value that is not allowed.
 */
function commaList<T extends string>(item: z.ZodType<T>, description: string, example: string) {
  return z
    .string()
    .max(4000)
    .transform((text, ctx) => {
      const values: T[] = [];
      for (const part of text.split(',')) {
        const parsed = item.safeParse(part.trim());
        if (parsed.success) values.push(parsed.data);
        else ctx.addIssue({ code: 'custom', message: `not one of the allowed values: ${part.slice(0, 60)}` });
      }
      return [...new Set(values)];
    })
    .openapi({ type: 'string', description, example })
    .optional();
}

const idOr = <K extends string>(...words: [K, ...K[]]) => z.union([z.uuid(), z.enum(words)]);

const taskFilters = {
  status: commaList(z.enum(taskStatuses), 'Comma list of statuses', 'todo,in_progress'),
  type: commaList(z.enum(taskTypes), 'Comma list of types', 'bug,story'),
  priority: commaList(z.enum(taskPriorities), 'Comma list of priorities', 'high,urgent'),
  assigneeId: commaList(idOr('me', 'none'), 'Comma list of user ids, `me` (the caller) or `none` (unassigned)', 'me'),
  sprintId: commaList(idOr('none'), 'Comma list of sprint ids or `none` (the backlog)', 'none'),
  epicId: commaList(idOr('none'), 'Comma list of epic ids or `none` (no epic)', 'none'),
  dueBefore: z.iso.date().optional().describe('Tasks due before this day'),
  cursor: z.string().max(4000).optional(),
};

const sortParameter = (defaultSort: TaskSort) =>
  z
    .enum(TASK_SORTS)
    .default(defaultSort)
    .describe('position, priority, updated, created or due; a leading `-` sorts descending (nulls last either way)');

export const TaskListQuery = PageQuery.extend({
  ...taskFilters,
  /** Web-search syntax over title, description and acceptance criteria: `login -oauth "error page"`. */
  q: z.string().trim().min(1).max(200).optional(),
  sort: sortParameter('position'),
});

export const OrgTaskListQuery = PageQuery.extend({
  ...taskFilters,
  projectId: commaList(z.uuid(), 'Comma list of project ids', '0190a3b4-0000-7000-8000-000000000000'),
  /** Asking "is there such a task?" without a 404 to show for "no": an empty page is the answer. */
  ref: z
    .string()
    .regex(TASK_REF, 'a reference like ACME-7')
    .optional()
    .openapi({ description: 'A task reference (ACME-7, the key in any case): the page holds that task, or nothing', example: 'ACME-7' }),
  sort: sortParameter('-updated'),
});

export const TaskPage = pageOf(Task, 'TaskPage');

export { ProjectParams };

export type CreateTaskInput = z.infer<typeof CreateTaskBody>;
export type UpdateTaskInput = z.infer<typeof UpdateTaskBody>;
export type MoveTaskInput = z.infer<typeof MoveTaskBody>;
export type BulkUpdateTasksInput = z.infer<typeof BulkUpdateTasksBody>;
export type TaskListFilter = z.infer<typeof TaskListQuery>;
export type OrgTaskListFilter = z.infer<typeof OrgTaskListQuery>;
