import type { Schemas } from '../api/client';

export type Task = Schemas['Task'];
export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];
export type TaskType = Task['type'];

/** The board's columns, in order, and the words people read for each status. */
export const STATUSES: readonly TaskStatus[] = ['todo', 'in_progress', 'in_review', 'done', 'canceled'];
export const STATUS_LABEL: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
  canceled: 'Canceled',
};

export const PRIORITIES: readonly TaskPriority[] = ['urgent', 'high', 'medium', 'low'];
export const PRIORITY_LABEL: Record<TaskPriority, string> = { urgent: 'Urgent', high: 'High', medium: 'Medium', low: 'Low' };

export const TYPES: readonly TaskType[] = ['task', 'story', 'bug', 'chore'];
export const TYPE_LABEL: Record<TaskType, string> = { task: 'Task', story: 'Story', bug: 'Bug', chore: 'Chore' };

/** The task page's URL segment and the board card's label both start with this: `ACME-7`. */
export const taskPath = '/$orgSlug/tasks/$ref' as const;
