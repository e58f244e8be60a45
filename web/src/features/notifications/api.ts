import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';

export type Notification = Schemas['Notification'];
export type NotificationType = Schemas['NotificationType'];
export type NotificationChannel = Schemas['NotificationChannel'];

/** Every notification query of the organization; live events invalidate it by this prefix. */
export const notificationsKey = (orgId: string) => ['orgs', orgId, 'notifications'] as const;
const watchKey = (orgId: string, taskId: string) => ['orgs', orgId, 'task-watch', taskId] as const;

/** The newest 50 of the caller's notifications, with the unread count. */
export function useNotifications(orgId: string, unreadOnly = false) {
  return useQuery({
    queryKey: [...notificationsKey(orgId), 'inbox', { unreadOnly }],
    queryFn: async ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{orgId}/notifications', { params: { path: { orgId }, query: { limit: 50, ...(unreadOnly ? { unread: 'true' as const } : {}) } }, signal })),
  });
}

/** The unread count alone, for the navigation's badge (the smallest page that carries it). */
export function useUnreadCount(orgId: string) {
  return useQuery({
    queryKey: [...notificationsKey(orgId), 'unread-count'],
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/orgs/{orgId}/notifications', { params: { path: { orgId }, query: { limit: 1, unread: 'true' } }, signal }))).unreadCount,
  });
}

export function useMarkRead(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (which: { ids: string[] } | { all: true }) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/notifications/read', { params: { path: { orgId } }, body: which })),
    onSuccess: async () => client.invalidateQueries({ queryKey: notificationsKey(orgId) }),
  });
}

export function usePreferences(orgId: string) {
  return useQuery({
    queryKey: [...notificationsKey(orgId), 'preferences'],
    queryFn: async ({ signal }) => unwrap(api.GET('/api/v1/orgs/{orgId}/notification-preferences', { params: { path: { orgId } }, signal })),
  });
}

export function useSetPreference(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (choice: { type: NotificationType; channel: NotificationChannel }) =>
      unwrap(api.PUT('/api/v1/orgs/{orgId}/notification-preferences', { params: { path: { orgId } }, body: { items: [choice] } })),
    onSuccess: (preferences) => client.setQueryData([...notificationsKey(orgId), 'preferences'], preferences),
  });
}

export function useWatch(orgId: string, taskId: string) {
  return useQuery({
    queryKey: watchKey(orgId, taskId),
    queryFn: async ({ signal }) => unwrap(api.GET('/api/v1/orgs/{orgId}/tasks/{taskId}/watch', { params: { path: { orgId, taskId } }, signal })),
  });
}

export function useSetWatch(orgId: string, taskId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (watching: boolean) =>
      unwrap(api.PUT('/api/v1/orgs/{orgId}/tasks/{taskId}/watch', { params: { path: { orgId, taskId } }, body: { watching } })),
    onSuccess: (watch) => client.setQueryData(watchKey(orgId, taskId), watch),
  });
}
