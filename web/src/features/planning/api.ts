import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';
import type { Task } from '../../lib/task-vocabulary';

export type Sprint = Schemas['Sprint'];
export type Burndown = Schemas['SprintBurndown'];
export type Velocity = Schemas['ProjectVelocity'];

/** Where a task is planned: a sprint id, or `none` for the backlog. */
export type Lane = string;
export const BACKLOG: Lane = 'none';

const planningKey = (orgId: string, projectId: string) => ['orgs', orgId, 'planning', projectId] as const;

export const sprintsQuery = (orgId: string, projectId: string) =>
  queryOptions({
    queryKey: [...planningKey(orgId, projectId), 'sprints'],
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/sprints', { params: { path: { orgId, projectId }, query: { limit: 100, cursor } } })),
      ),
  });

export function useSprints(orgId: string, projectId: string | undefined) {
  return useQuery({ ...sprintsQuery(orgId, projectId ?? ''), enabled: projectId !== undefined });
}

/** The sprints tasks can still be planned into, the running one first, then by start date. */
export function openSprints(sprints: Sprint[]): Sprint[] {
  const rank = (sprint: Sprint) => (sprint.status === 'active' ? 0 : 1);
  return sprints
    .filter((sprint) => sprint.status !== 'completed')
    .sort((a, b) => rank(a) - rank(b) || (a.startDate ?? '9999').localeCompare(b.startDate ?? '9999') || a.createdAt.localeCompare(b.createdAt));
}

/** Each lane's tasks in the project's `position` order, keyed by sprint id (or `none`). */
export type Lanes = Record<Lane, Task[]>;

const lanesKey = (orgId: string, projectId: string, lanes: Lane[]) => [...planningKey(orgId, projectId), 'lanes', lanes] as const;

async function laneTasks(orgId: string, projectId: string, lane: Lane, signal?: AbortSignal) {
  return allPages((cursor) =>
    unwrap(
      api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/tasks', {
        params: { path: { orgId, projectId }, query: { sprintId: lane, sort: 'position', limit: 100, cursor } },
        signal,
      }),
    ),
  );
}

/** The backlog and every open sprint's tasks, fetched side by side. */
export function useLanes(orgId: string, projectId: string | undefined, lanes: Lane[] | undefined) {
  return useQuery({
    queryKey: lanesKey(orgId, projectId ?? '', lanes ?? []),
    queryFn: async ({ signal }): Promise<Lanes> => {
      const lists = await Promise.all((lanes ?? []).map((lane) => laneTasks(orgId, projectId ?? '', lane, signal)));
      return Object.fromEntries((lanes ?? []).map((lane, index) => [lane, lists[index] ?? []]));
    },
    enabled: projectId !== undefined && lanes !== undefined,
    // A new or completed sprint changes the lanes: the old ones stay on screen until they load.
    placeholderData: keepPreviousData,
  });
}

/** One sprint's tasks (any status), in position order. */
export function useSprintTasks(orgId: string, projectId: string | undefined, sprintId: string) {
  return useQuery({
    queryKey: [...planningKey(orgId, projectId ?? ''), 'sprint-tasks', sprintId],
    queryFn: async ({ signal }) => laneTasks(orgId, projectId ?? '', sprintId, signal),
    enabled: projectId !== undefined,
  });
}

export type PlanInput = {
  task: Task;
  /** The lane the task lands in. */
  to: Lane;
  afterId: string | null;
  beforeId: string | null;
  /** The lanes as they look after the drop, shown at once. */
  arrangement: Lanes;
};

/**
 * Plans a task: its sprint changes (when it changed lane), then its place in the project's
 * order, next to one neighbour of its new lane. The drop shows at once; a refusal puts the
 * lanes back and the error is shown in words.
 */
export function usePlanTask(orgId: string, projectId: string, lanes: Lane[]) {
  const client = useQueryClient();
  const queryKey = lanesKey(orgId, projectId, lanes);
  return useMutation({
    // One plan after another: a drop is two requests, and a second drop sent while the first
    // is in flight could land its move first and be undone by the earlier one (CI saw it).
    scope: { id: `plan:${projectId}` },
    mutationFn: async ({ task, to, afterId, beforeId }: PlanInput) => {
      const sprintId = to === BACKLOG ? null : to;
      const path = { orgId, id: task.id };
      if ((task.sprintId ?? null) !== sprintId) await unwrap(api.PATCH('/api/v1/orgs/{orgId}/tasks/{id}', { params: { path }, body: { sprintId } }));
      if (afterId || beforeId) await unwrap(api.POST('/api/v1/orgs/{orgId}/tasks/{id}/move', { params: { path }, body: { afterId, beforeId } }));
    },
    onMutate: async (input) => {
      await client.cancelQueries({ queryKey });
      const previous = client.getQueryData<Lanes>(queryKey);
      client.setQueryData<Lanes>(queryKey, input.arrangement);
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) client.setQueryData(queryKey, context.previous);
    },
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: planningKey(orgId, projectId) });
      void client.invalidateQueries({ queryKey: ['orgs', orgId, 'board'] });
      void client.invalidateQueries({ queryKey: ['orgs', orgId, 'task'] });
    },
  });
}

/** New sprint, start and complete: each refreshes the planning screens of the project. */
export function useSprintActions(orgId: string, projectId: string) {
  const client = useQueryClient();
  const onSuccess = async () => {
    await client.invalidateQueries({ queryKey: planningKey(orgId, projectId) });
    void client.invalidateQueries({ queryKey: ['orgs', orgId, 'board'] });
  };
  return {
    create: useMutation({
      mutationFn: async (body: Schemas['CreateSprint']) =>
        unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/sprints', { params: { path: { orgId, projectId } }, body })),
      onSuccess,
    }),
    start: useMutation({
      mutationFn: async (sprintId: string) => unwrap(api.POST('/api/v1/orgs/{orgId}/sprints/{id}/start', { params: { path: { orgId, id: sprintId } } })),
      onSuccess,
    }),
    complete: useMutation({
      mutationFn: async ({ sprintId, moveUnfinishedTo }: { sprintId: string; moveUnfinishedTo: string }) =>
        unwrap(api.POST('/api/v1/orgs/{orgId}/sprints/{id}/complete', { params: { path: { orgId, id: sprintId } }, body: { moveUnfinishedTo } })),
      onSuccess,
    }),
  };
}

/** Remaining, completed and scope changes per day, computed by the server from the task history. */
export function useBurndown(orgId: string, projectId: string | undefined, sprintId: string) {
  return useQuery({
    queryKey: [...planningKey(orgId, projectId ?? ''), 'burndown', sprintId],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/sprints/{id}/burndown', { params: { path: { orgId, id: sprintId } } })),
    enabled: projectId !== undefined,
  });
}

/** Committed against completed points of the project's past sprints, newest first. */
export function useVelocity(orgId: string, projectId: string | undefined) {
  return useQuery({
    queryKey: [...planningKey(orgId, projectId ?? ''), 'velocity'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/velocity', { params: { path: { orgId, projectId: projectId ?? '' } } })),
    enabled: projectId !== undefined,
  });
}
