import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * The kinds the server's event stream sends (GET /orgs/{orgId}/events), each with the query keys
 * (under `['orgs', orgId]`) whose screens show what changed. Events carry ids only: the screens
 * re-read through the API.
 */
const STALE_AFTER: Record<string, string[]> = {
  'task.created': ['board', 'task', 'tasks', 'planning', 'epics', 'task-history'],
  'task.updated': ['board', 'task', 'tasks', 'planning', 'epics', 'task-history', 'task-watch'],
  'task.deleted': ['board', 'task', 'tasks', 'planning', 'epics'],
  'comment.created': ['task-comments', 'task-watch'],
  'comment.updated': ['task-comments'],
  'comment.deleted': ['task-comments'],
  'sprint.created': ['planning', 'projects'],
  'sprint.updated': ['planning', 'projects', 'board'],
  'sprint.deleted': ['planning', 'projects', 'board'],
  'notifications.created': ['notifications'],
};

/**
 * Keeps the organization's open screens current: one EventSource per page, which the browser
 * reconnects by itself, sending the last event's id as Last-Event-ID so the server replays
 * what was missed.
 *
 * While a save of this page is in flight, re-reads wait for it: a drop is shown at once and
 * saved in two requests, and a re-read between them would show the half-saved state.
 */
export function useLiveUpdates(orgId: string) {
  const client = useQueryClient();
  useEffect(() => {
    const stale = new Set<string>();
    const flush = () => {
      if (stale.size === 0 || client.isMutating() > 0) return;
      for (const segment of stale) void client.invalidateQueries({ queryKey: ['orgs', orgId, segment] });
      stale.clear();
    };
    const stopWatchingSaves = client.getMutationCache().subscribe(flush);
    const source = new EventSource(`/api/v1/orgs/${encodeURIComponent(orgId)}/events`, { withCredentials: true });
    const listeners = Object.entries(STALE_AFTER).map(([kind, segments]) => {
      const listener = () => {
        for (const segment of segments) stale.add(segment);
        flush();
      };
      source.addEventListener(kind, listener);
      return [kind, listener] as const;
    });
    return () => {
      for (const [kind, listener] of listeners) source.removeEventListener(kind, listener);
      source.close();
      stopWatchingSaves();
    };
  }, [client, orgId]);
}
