import { queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';
import type { Task } from '../../lib/task-vocabulary';

export type Comment = Schemas['Comment'] & { author?: { id: string; name: string; image: string | null } | null };
export type HistoryEntry = Schemas['TaskHistoryEntry'];
export type Asset = Schemas['ProjectAsset'];

/** The task page's query key; the board invalidates it by the task's id after a move. */
const taskKey = (orgId: string, idOrRef: string) => ['orgs', orgId, 'task', idOrRef] as const;

export function useTask(orgId: string, ref: string) {
  return useQuery({
    queryKey: taskKey(orgId, ref.toUpperCase()),
    queryFn: async ({ signal }) => unwrap(api.GET('/api/v1/orgs/{orgId}/tasks/{id}', { params: { path: { orgId, id: ref } }, signal })),
  });
}

export type TaskChange = Schemas['UpdateTask'];

/** Saves one field; the page, the board and the history all show the change afterwards. */
export function useUpdateTask(orgId: string, task: Task) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (change: TaskChange) =>
      unwrap(api.PATCH('/api/v1/orgs/{orgId}/tasks/{id}', { params: { path: { orgId, id: task.id } }, body: change })),
    onSuccess: async (updated) => {
      client.setQueryData(taskKey(orgId, task.ref.toUpperCase()), updated);
      await Promise.all([
        client.invalidateQueries({ queryKey: ['orgs', orgId, 'board', task.projectId] }),
        client.invalidateQueries({ queryKey: historyKey(orgId, task.id) }),
      ]);
    },
  });
}

/** People, epics and sprints a task may name: the choices of the task page and the board's filters. */
export function useTaskChoices(orgId: string, projectId: string | undefined) {
  const members = useQuery(
    queryOptions({
      queryKey: ['orgs', orgId, 'members'],
      queryFn: async () =>
        allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/members', { params: { path: { orgId }, query: { limit: 100, cursor } } }))),
      staleTime: 60_000,
    }),
  );
  const epics = useQuery({
    queryKey: ['orgs', orgId, 'projects', projectId, 'epics'],
    enabled: projectId !== undefined,
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/epics', { params: { path: { orgId, projectId: projectId ?? '' }, query: { limit: 100, cursor } } })),
      ),
    staleTime: 60_000,
  });
  const sprints = useQuery({
    queryKey: ['orgs', orgId, 'projects', projectId, 'sprints'],
    enabled: projectId !== undefined,
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/sprints', { params: { path: { orgId, projectId: projectId ?? '' }, query: { limit: 100, cursor } } })),
      ),
    staleTime: 60_000,
  });
  return {
    people: (members.data ?? []).map((member) => ({ id: member.userId, name: member.name })),
    epics: (epics.data ?? []).map((epic) => ({ id: epic.id, title: epic.title })),
    sprints: (sprints.data ?? []).map((sprint) => ({ id: sprint.id, name: sprint.name, completed: sprint.status === 'completed' })),
    error: members.error ?? epics.error ?? sprints.error,
  };
}

const commentsKey = (orgId: string, taskId: string) => ['orgs', orgId, 'task-comments', taskId] as const;

export function useComments(orgId: string, taskId: string) {
  return useQuery({
    queryKey: commentsKey(orgId, taskId),
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/tasks/{taskId}/comments', { params: { path: { orgId, taskId }, query: { limit: 100, cursor } } })),
      ) as Promise<Comment[]>,
  });
}

export function useAddComment(orgId: string, taskId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: string) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/tasks/{taskId}/comments', { params: { path: { orgId, taskId } }, body: { body } })),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: commentsKey(orgId, taskId) }),
        client.invalidateQueries({ queryKey: historyKey(orgId, taskId) }),
      ]);
    },
  });
}

const historyKey = (orgId: string, taskId: string) => ['orgs', orgId, 'task-history', taskId] as const;

/** Newest first, a page at a time ("Show older"). */
export function useHistory(orgId: string, taskId: string) {
  return useInfiniteQuery({
    queryKey: historyKey(orgId, taskId),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/orgs/{orgId}/tasks/{id}/history', { params: { path: { orgId, id: taskId }, query: { limit: 30, cursor: pageParam } } }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** A task's attachments: the project's files whose `taskId` is the task (migration 0013). */
const attachmentsKey = (orgId: string, task: Task) => ['orgs', orgId, 'projects', task.projectId, 'assets', { taskId: task.id }] as const;

export function useAttachments(orgId: string, task: Task) {
  return useQuery({
    queryKey: attachmentsKey(orgId, task),
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(
          api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/assets', {
            params: { path: { orgId, projectId: task.projectId }, query: { taskId: task.id, limit: 100, cursor } },
          }),
        ),
      ),
  });
}

export function useUploadAttachment(orgId: string, task: Task) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) =>
      unwrap(
        api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/assets', {
          params: { path: { orgId, projectId: task.projectId }, query: { fileName: file.name.slice(0, 255), taskId: task.id } },
          // The bytes go as they are: the route takes the raw body and its content type.
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { 'content-type': file.type || 'application/octet-stream' },
        }),
      ),
    onSuccess: async () => client.invalidateQueries({ queryKey: attachmentsKey(orgId, task) }),
  });
}

export function useDeleteAttachment(orgId: string, task: Task) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (assetId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{orgId}/projects/{projectId}/assets/{id}', { params: { path: { orgId, projectId: task.projectId, id: assetId } } })),
    onSuccess: async () => client.invalidateQueries({ queryKey: attachmentsKey(orgId, task) }),
  });
}

export const downloadUrl = (orgId: string, asset: Asset) =>
  `/api/v1/orgs/${encodeURIComponent(orgId)}/projects/${encodeURIComponent(asset.projectId)}/assets/${encodeURIComponent(asset.id)}/content`;
