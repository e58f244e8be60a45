import { useInfiniteQuery } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';

export type ActivityEntry = Schemas['ProjectActivityEntry'];

/** A project's activity, newest first, a page at a time ("Show older"). */
export function useProjectActivity(orgId: string, projectId: string) {
  return useInfiniteQuery({
    queryKey: ['orgs', orgId, 'projects', projectId, 'activity'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/activity', {
          params: { path: { orgId, projectId }, query: { limit: 50, cursor: pageParam } },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
