// Sprint history (migration 0012): each task's sprint, status, points and deletion over time,
// written by the record_task_sprint_state trigger on tasks, for burndowns and velocity.
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { fk, timestamps, timestamptz } from './common.js';
import { tenantColumns, tenantKeys } from './organizations.js';
import { sprints, taskStatuses, tasks } from './work.js';

export const taskSprintStates = pgTable(
  'task_sprint_states',
  {
    ...tenantColumns,
    taskId: uuid('task_id').notNull(),
    sprintId: uuid('sprint_id'),
    status: text('status', { enum: taskStatuses }).notNull(),
    storyPoints: integer('story_points'),
    deleted: boolean('deleted').notNull().default(false),
    /** From when this state held; it holds until the task's next row. */
    validFrom: timestamptz('valid_from').notNull(),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.taskId], [tasks.organizationId, tasks.id], 'cascade'),
    fk([t.organizationId, t.sprintId], [sprints.organizationId, sprints.id], 'no action'),
    index('task_sprint_states_organization_id_sprint_id_idx').on(t.organizationId, t.sprintId, t.taskId),
    index('task_sprint_states_organization_id_task_id_idx').on(t.organizationId, t.taskId, t.validFrom),
  ],
);
