import { PRIORITIES, TYPES, type TaskPriority, type TaskType } from '../../lib/task-vocabulary';

/**
 * The board's filters, as they stand in the URL (`?assignee=me&priority=high`), so a filtered
 * board can be shared in chat. Anything else in the URL is dropped, never sent to the API.
 */
export type BoardSearch = {
  /** A user id, `me` or `none` (unassigned). */
  assignee?: string;
  priority?: TaskPriority;
  type?: TaskType;
  /** An epic id or `none`. */
  epic?: string;
  /** A sprint id or `none` (the backlog). */
  sprint?: string;
  /** Words searched in title, description and acceptance criteria. */
  q?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOr = (value: unknown, ...words: string[]) =>
  typeof value === 'string' && (UUID.test(value) || words.includes(value)) ? value : undefined;
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]) =>
  allowed.find((candidate) => candidate === value);

export function validateBoardSearch(search: Record<string, unknown>): BoardSearch {
  const q = typeof search.q === 'string' ? search.q.trim().slice(0, 200) : '';
  const parsed: BoardSearch = {
    assignee: idOr(search.assignee, 'me', 'none'),
    priority: oneOf(search.priority, PRIORITIES),
    type: oneOf(search.type, TYPES),
    epic: idOr(search.epic, 'none'),
    sprint: idOr(search.sprint, 'none'),
    q: q || undefined,
  };
  return Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
}

/** The task list's query parameters for these filters. */
export function taskListQuery(search: BoardSearch) {
  return {
    ...(search.assignee ? { assigneeId: search.assignee } : {}),
    ...(search.priority ? { priority: search.priority } : {}),
    ...(search.type ? { type: search.type } : {}),
    ...(search.epic ? { epicId: search.epic } : {}),
    ...(search.sprint ? { sprintId: search.sprint } : {}),
    ...(search.q ? { q: search.q } : {}),
  };
}

export const hasFilters = (search: BoardSearch) => Object.keys(search).length > 0;
