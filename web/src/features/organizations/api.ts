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
/** The plans an organization can move to (the public catalogue). */
export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: async () => unwrap(api.GET('/api/v1/plans')), staleTime: 300_000 });
}

function useInvalidateBilling(orgId: string) {
  const client = useQueryClient();
  return async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['orgs', orgId, 'usage'] }),
      client.invalidateQueries({ queryKey: ['orgs', orgId, 'subscription'] }),
    ]);
  };
}

/** The plan, its status, periods, a change waiting for the period end, and how plans are paid for here. */
export function useSubscription(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'subscription'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/subscription', { params: { path: { orgId } } })),
  });
}

/** An owner moves the organization to another plan (BILLING_MODE=none), at once or at the end of the period. */
export function useChangePlan(orgId: string) {
  return useMutation({
    mutationFn: async (body: Schemas['ChangePlan']) => unwrap(api.POST('/api/v1/orgs/{orgId}/subscription/change', { params: { path: { orgId } }, body })),
    onSuccess: useInvalidateBilling(orgId),
  });
}

export function useCancelScheduledChange(orgId: string) {
  return useMutation({
    mutationFn: async () => unwrap(api.DELETE('/api/v1/orgs/{orgId}/subscription/scheduled-change', { params: { path: { orgId } } })),
    onSuccess: useInvalidateBilling(orgId),
  });
}

/**
 * Subscribe or upgrade through Stripe (BILLING_MODE=stripe): Stripe's Checkout page opens, or,
 * for an existing subscription, the price changes in place and the answer has no URL.
 */
export function useCheckout(orgId: string) {
  const invalidate = useInvalidateBilling(orgId);
  return useMutation({
    mutationFn: async (plan: string) => unwrap(api.POST('/api/v1/orgs/{orgId}/billing/checkout', { params: { path: { orgId } }, body: { plan } })),
    onSuccess: async ({ url }) => {
      if (url) window.location.assign(url);
      else await invalidate();
    },
  });
}

/** Stripe's Customer Portal (payment method, invoices, cancelling), opened in this tab. */
export function usePortal(orgId: string) {
  return useMutation({
    mutationFn: async () => unwrap(api.POST('/api/v1/orgs/{orgId}/billing/portal', { params: { path: { orgId } } })),
    onSuccess: ({ url }) => {
      if (url) window.location.assign(url);
    },
  });
}

export function useUsage(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'usage'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/usage', { params: { path: { orgId } } })),
  });
}
