/**
 * How the columns of Jira's and Linear's CSV exports become task fields, and how their words
 * for statuses, priorities and types become ours. Headers are matched without regard to case.
 */
import type { TaskPriority, TaskStatus, TaskType } from '../../db/schema/index.js';

export const IMPORT_FIELDS = ['title', 'description', 'status', 'priority', 'type', 'storyPoints', 'dueDate', 'assignee', 'ignore'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Known headers of both exports (lower case). Jira: Summary, Issue Type, Story Points; Linear: Title, Estimate. */
export const DEFAULT_COLUMNS: Record<string, ImportField> = {
  summary: 'title',
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  'issue type': 'type',
  type: 'type',
  'story points': 'storyPoints',
  'custom field (story points)': 'storyPoints',
  'story point estimate': 'storyPoints',
  estimate: 'storyPoints',
  'due date': 'dueDate',
  assignee: 'assignee',
};

const STATUSES: Record<string, TaskStatus> = {
  backlog: 'todo', todo: 'todo', 'to do': 'todo', open: 'todo', triage: 'todo', unstarted: 'todo', selected: 'todo', 'selected for development': 'todo',
  'in progress': 'in_progress', started: 'in_progress', 'in development': 'in_progress',
  'in review': 'in_review', review: 'in_review', 'code review': 'in_review', 'in qa': 'in_review',
  done: 'done', closed: 'done', resolved: 'done', completed: 'done',
  canceled: 'canceled', cancelled: 'canceled', "won't do": 'canceled', duplicate: 'canceled',
};
const PRIORITIES: Record<string, TaskPriority> = {
  urgent: 'urgent', highest: 'urgent', blocker: 'urgent', critical: 'urgent',
  high: 'high', medium: 'medium', normal: 'medium', 'no priority': 'medium', low: 'low', lowest: 'low', trivial: 'low', minor: 'low',
};
const TYPES: Record<string, TaskType> = {
  task: 'task', 'sub-task': 'task', subtask: 'task', story: 'story', 'user story': 'story', feature: 'story', epic: 'story',
  bug: 'bug', defect: 'bug', improvement: 'chore', chore: 'chore',
};

function wordOf<T extends string>(table: Record<string, T>) {
  return (value: string): T | undefined => table[value.trim().toLowerCase()];
}
export const statusOf = wordOf(STATUSES);
export const priorityOf = wordOf(PRIORITIES);
export const typeOf = wordOf(TYPES);

/** A date as both export it: ISO (2026-03-01, with or without a time) or Jira's 01/Mar/26. */
export function dateOf(value: string): string | undefined {
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  if (iso) return iso[1];
  const jira = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2,4})/.exec(value.trim());
  if (!jira) return undefined;
  const month = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf((jira[2] ?? '').toLowerCase()) + 1;
  if (month === 0) return undefined;
  const year = (jira[3] ?? '').length === 2 ? `20${jira[3]}` : jira[3];
  return `${year}-${String(month).padStart(2, '0')}-${(jira[1] ?? '').padStart(2, '0')}`;
}
