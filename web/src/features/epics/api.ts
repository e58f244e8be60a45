import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';
import type { Task } from '../../lib/task-vocabulary';

export type Epic = Schemas['Epic'];
export type EpicStatus = Epic['status'];

export const EPIC_STATUS_LABEL: Record<EpicStatus, string> = { open: 'Open', in_progress: 'In progress', done: 'Done', canceled: 'Canceled' };

const epicsKey = (orgId: string, projectId: string) => ['orgs', orgId, 'epics', projectId] as const;

export function useEpics(orgId: string, projectId: string | undefined) {
  return useQuery({
    queryKey: [...epicsKey(orgId, projectId ?? ''), 'list'],
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/epics', { params: { path: { orgId, projectId: projectId ?? '' }, query: { limit: 100, cursor } } })),
      ),
    enabled: projectId !== undefined,
  });
}

/** The tasks of the given epics, in the project's order (one list, filtered by the server). */
export function useEpicTasks(orgId: string, projectId: string | undefined, epicIds: string[] | undefined) {
  return useQuery({
    queryKey: [...epicsKey(orgId, projectId ?? ''), 'tasks', epicIds ?? []],
    queryFn: async ({ signal }) =>
      (epicIds ?? []).length === 0
        ? []
        : allPages((cursor) =>
            unwrap(
              api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/tasks', {
                params: { path: { orgId, projectId: projectId ?? '' }, query: { epicId: (epicIds ?? []).join(','), sort: 'position', limit: 100, cursor } },
                signal,
              }),
            ),
          ),
    enabled: projectId !== undefined && epicIds !== undefined,
  });
}

export type Progress = { doneTasks: number; totalTasks: number; donePoints: number; totalPoints: number };

/** Done against all tasks of an epic; canceled tasks count for neither, they are not work to do. */
export function progressOf(tasks: Task[]): Progress {
  const counted = tasks.filter((task) => task.status !== 'canceled');
  const done = counted.filter((task) => task.status === 'done');
  const points = (list: Task[]) => list.reduce((sum, task) => sum + (task.storyPoints ?? 0), 0);
  return { doneTasks: done.length, totalTasks: counted.length, donePoints: points(done), totalPoints: points(counted) };
}

export function useEpicActions(orgId: string, projectId: string) {
  const client = useQueryClient();
  const onSuccess = async () => client.invalidateQueries({ queryKey: epicsKey(orgId, projectId) });
  return {
    create: useMutation({
      mutationFn: async (body: Schemas['CreateEpic']) => unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/epics', { params: { path: { orgId, projectId } }, body })),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: async ({ id, ...body }: Schemas['UpdateEpic'] & { id: string }) =>
        unwrap(api.PATCH('/api/v1/orgs/{orgId}/epics/{id}', { params: { path: { orgId, id } }, body })),
      onSuccess,
    }),
  };
}
