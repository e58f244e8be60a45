import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type Schemas, api, unwrap } from '../../api/client';

export type PaletteTask = Pick<Schemas['Task'], 'id' | 'ref' | 'title' | 'projectKey' | 'status'>;

/** `ACME-7`, `acme-7`: what a person types when they know the task (the API's rule: a key of 2–10, a number from 1). */
export const TASK_REF = /^[A-Za-z][A-Za-z0-9]{1,9}-[1-9]\d{0,8}$/;

/**
 * The organization's recently changed tasks (one page of 100), searched by title in the browser:
 * the org-wide list has no text filter, and the palette opens on what people work on now.
 */
export function useRecentTasks(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['orgs', orgId, 'tasks', 'palette'],
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/orgs/{orgId}/tasks', { params: { path: { orgId }, query: { limit: 100, sort: '-updated' } } }))).items,
    enabled,
    staleTime: 30_000,
  });
}

/**
 * The task with exactly this reference (any project, even one not among the recent ones); null
 * when there is none. Asked through the list's `ref` filter, which answers "none" with an empty
 * page: a 404 from `GET /tasks/{ref}` would be logged in the console as a failure.
 */
export function useTaskByRef(orgId: string, text: string) {
  const ref = useDebounced(TASK_REF.test(text.trim()) ? text.trim().toUpperCase() : null, 150);
  return useQuery({
    queryKey: ['orgs', orgId, 'tasks', 'by-ref', ref],
    queryFn: async ({ signal }): Promise<PaletteTask | null> => {
      const page = await unwrap(api.GET('/api/v1/orgs/{orgId}/tasks', { params: { path: { orgId }, query: { ref: ref!, limit: 1 } }, signal }));
      return page.items[0] ?? null;
    },
    enabled: ref !== null,
    staleTime: 30_000,
  });
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
