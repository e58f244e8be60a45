import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';

/** The caller's organizations, each with the caller's role in it; the slug in URLs is resolved here. */
export const organizationsQuery = queryOptions({
  queryKey: ['organizations'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/organizations', { params: { query: { limit: 100 } } }))).items,
  staleTime: 30_000,
});

export function useOrganizations() {
  return useQuery(organizationsQuery);
}

export function useCreateOrganization() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateOrganization']) => unwrap(api.POST('/api/v1/organizations', { body })),
    onSuccess: async () => client.invalidateQueries({ queryKey: organizationsQuery.queryKey }),
  });
}

/** A URL-safe slug from a name: "Acme Labs!" → "acme-labs". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

export function useRenameOrganization(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => unwrap(api.PATCH('/api/v1/orgs/{orgId}', { params: { path: { orgId } }, body: { name } })),
    onSuccess: async () => client.invalidateQueries({ queryKey: organizationsQuery.queryKey }),
  });
}

/** What the organization uses against its plan's limits (readable by every member). */
export function useUsage(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'usage'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/usage', { params: { path: { orgId } } })),
  });
}
