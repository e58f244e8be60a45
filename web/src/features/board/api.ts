import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';
import { STATUSES, type Task, type TaskStatus } from '../../lib/task-vocabulary';
import { type BoardSearch, taskListQuery } from './filters';

/** Each column's tasks in board order (the project's `position` order). */
export type Columns = Record<TaskStatus, Task[]>;

export const boardKey = (orgId: string, projectId: string, search: BoardSearch) => ['orgs', orgId, 'board', projectId, search] as const;

/**
 * The whole board: the five columns are fetched side by side (each in position order, 100 a
 * page), so a 1,000-task board costs the longest column's pages, not the sum of them.
 */
export const boardQuery = (orgId: string, projectId: string, search: BoardSearch) =>
  queryOptions({
    queryKey: boardKey(orgId, projectId, search),
    queryFn: async ({ signal }): Promise<Columns> => {
      const filters = taskListQuery(search);
      const lists = await Promise.all(
        STATUSES.map((status) =>
          allPages(
            (cursor) =>
              unwrap(
                api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/tasks', {
                  params: { path: { orgId, projectId }, query: { ...filters, status, sort: 'position', limit: 100, cursor } },
                  signal,
                }),
              ),
            50,
          ),
        ),
      );
      return Object.fromEntries(STATUSES.map((status, index) => [status, lists[index] ?? []])) as Columns;
    },
  });

/** The board once the project is known (its id comes from the key in the URL). */
export function useBoard(orgId: string, projectId: string | undefined, search: BoardSearch) {
  // A new filter keeps the current board on screen until its tasks arrive: the page never blanks.
  return useQuery({ ...boardQuery(orgId, projectId ?? '', search), enabled: projectId !== undefined, placeholderData: keepPreviousData });
}

export type MoveInput = {
  task: Task;
  afterId: string | null;
  beforeId: string | null;
  /** Set when the card changed column. */
  status?: TaskStatus;
  /** The board as it looks after the drop, shown at once. */
  arrangement: Columns;
};

function replaceTask(columns: Columns, changed: Task): Columns {
  const next = { ...columns };
  for (const status of STATUSES) next[status] = columns[status].map((task) => (task.id === changed.id ? changed : task));
  return next;
}

/**
 * Saves a drag through the move endpoint. The board shows the drop at once; if the server
 * refuses, the board goes back to where it was and the error is shown in words.
 */
export function useMoveTask(orgId: string, projectId: string, search: BoardSearch) {
  const client = useQueryClient();
  const queryKey = boardKey(orgId, projectId, search);
  return useMutation({
    // One after another: two quick drops sent at once could reach the server in either order.
    scope: { id: `move:${projectId}` },
    mutationFn: async ({ task, afterId, beforeId, status }: MoveInput): Promise<Task> =>
      unwrap(
        api.POST('/api/v1/orgs/{orgId}/tasks/{id}/move', {
          params: { path: { orgId, id: task.id } },
          body: { afterId, beforeId, ...(status ? { status } : {}) },
        }),
      ),
    onMutate: async (input) => {
      await client.cancelQueries({ queryKey });
      const previous = client.getQueryData<Columns>(queryKey);
      client.setQueryData<Columns>(queryKey, input.arrangement);
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) client.setQueryData(queryKey, context.previous);
    },
    onSuccess: (moved) => {
      client.setQueryData<Columns>(queryKey, (columns) => columns && replaceTask(columns, moved));
      // The task page and other filtered views of this board read the new status next time.
      void client.invalidateQueries({ queryKey: ['orgs', orgId, 'task'] });
    },
  });
}

/** Quick create in a column: the task lands at the end of the project, so at the column's end. */
export function useQuickCreate(orgId: string, projectId: string, search: BoardSearch) {
  const client = useQueryClient();
  const queryKey = boardKey(orgId, projectId, search);
  return useMutation({
    mutationFn: async (input: { title: string; status: TaskStatus }) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/tasks', { params: { path: { orgId, projectId } }, body: input })),
    onSuccess: (created) => {
      client.setQueryData<Columns>(queryKey, (columns) => columns && { ...columns, [created.status]: [...columns[created.status], created] });
    },
  });
}
