import { PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL, type TaskPriority, type TaskStatus, type TaskType } from './task-vocabulary';

/**
 * Words for one recorded change ("status from To do to Done"), shared by a project's activity
 * feed and a task's history so both say the same thing the same way.
 */
export type FieldChange = { field: string; from?: unknown; to?: unknown };

/** Names a referenced row (a person, an epic, a sprint) by its id, where the reader knows it. */
export type ReferenceNamer = (field: string, id: string) => string | undefined;

const FIELD_NAMES: Record<string, string> = {
  acceptanceCriteria: 'acceptance criteria',
  storyPoints: 'points',
  assigneeId: 'assignee',
  ownerId: 'owner',
  epicId: 'epic',
  sprintId: 'sprint',
  taskId: 'task',
  dueDate: 'due date',
  startDate: 'start date',
  endDate: 'end date',
  targetDate: 'target date',
  completedAt: 'completion',
  archivedAt: 'archiving',
  fileName: 'file name',
};
/** Long text: an entry says that it changed, not to what. */
const LONG_TEXT = new Set(['description', 'acceptanceCriteria', 'goal']);
/** Ids: named when the reader can name them, otherwise only said to have changed. */
const REFERENCES = new Set(['assigneeId', 'ownerId', 'epicId', 'sprintId', 'taskId']);

function valueText(field: string, value: unknown, nameOf: ReferenceNamer | undefined): string {
  if (value === null || value === undefined || value === '') return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (REFERENCES.has(field)) return nameOf?.(field, text) ?? text;
  if (field === 'status') return STATUS_LABEL[text as TaskStatus] ?? text.replace('_', ' ');
  if (field === 'priority') return PRIORITY_LABEL[text as TaskPriority] ?? text;
  if (field === 'type') return TYPE_LABEL[text as TaskType] ?? text;
  if (/Date$|At$/.test(field)) return text.slice(0, 10);
  return `“${text.length > 80 ? `${text.slice(0, 80)}…` : text}”`;
}

/** "points from 3 to 5", or "changed the description"; references are named only with `nameOf`. */
export function changeText(change: FieldChange, nameOf?: ReferenceNamer): string {
  const name = FIELD_NAMES[change.field] ?? change.field;
  if (LONG_TEXT.has(change.field) || (REFERENCES.has(change.field) && !nameOf)) return `changed the ${name}`;
  return `${name} from ${valueText(change.field, change.from, nameOf)} to ${valueText(change.field, change.to, nameOf)}`;
}

/** When an entry happened, in the reader's locale. */
export const whenText = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
