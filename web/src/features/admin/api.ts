import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type AiProvider = Schemas['AiProvider'];
export type Integration = Schemas['Integration'];
export type AuditLog = Schemas['AuditLog'];

/** The features of the organization's current plan (plan list is public; the subscription names the plan). */
export function usePlanFeatures(orgId: string) {
  const subscription = useQuery({
    queryKey: ['orgs', orgId, 'subscription'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/subscription', { params: { path: { orgId } } })),
  });
  const plans = useQuery({ queryKey: ['plans'], queryFn: async () => unwrap(api.GET('/api/v1/plans')), staleTime: 300_000 });
  const plan = plans.data?.items.find((candidate) => candidate.code === subscription.data?.plan.code);
  return { features: new Set<string>(plan?.features ?? []), planName: plan?.name ?? null, isPending: subscription.isPending || plans.isPending };
}

const providersKey = (orgId: string) => ['orgs', orgId, 'ai-providers'];
const integrationsKey = (orgId: string) => ['orgs', orgId, 'integrations'];

export function useAiProviders(orgId: string) {
  return useQuery({
    queryKey: providersKey(orgId),
    queryFn: async () => allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/ai-providers', { params: { path: { orgId }, query: { limit: 100, cursor } } }))),
  });
}

export function useAddAiProvider(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateAiProvider']) => unwrap(api.POST('/api/v1/orgs/{orgId}/ai-providers', { params: { path: { orgId } }, body })),
    onSuccess: async () => client.invalidateQueries({ queryKey: providersKey(orgId) }),
  });
}

export function useDeleteAiProvider(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(api.DELETE('/api/v1/orgs/{orgId}/ai-providers/{id}', { params: { path: { orgId, id } } })),
    onSuccess: async () => client.invalidateQueries({ queryKey: providersKey(orgId) }),
  });
}

export function useIntegrations(orgId: string) {
  return useQuery({
    queryKey: integrationsKey(orgId),
    queryFn: async () => allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/integrations', { params: { path: { orgId }, query: { limit: 100, cursor } } }))),
  });
}

export function useAddIntegration(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateIntegration']) => unwrap(api.POST('/api/v1/orgs/{orgId}/integrations', { params: { path: { orgId } }, body })),
    onSuccess: async () => client.invalidateQueries({ queryKey: integrationsKey(orgId) }),
  });
}

export function useDeleteIntegration(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(api.DELETE('/api/v1/orgs/{orgId}/integrations/{id}', { params: { path: { orgId, id } } })),
    onSuccess: async () => client.invalidateQueries({ queryKey: integrationsKey(orgId) }),
  });
}

export type AuditFilter = { resourceType?: string; actorId?: string; from?: string; to?: string };

/** The audit trail, newest first, 50 entries a page (admins only: call it only for them). */
export function useAuditLogs(orgId: string, filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['orgs', orgId, 'audit-logs', filter],
    queryFn: async ({ pageParam }) =>
      unwrap(api.GET('/api/v1/orgs/{orgId}/audit-logs', { params: { path: { orgId }, query: { limit: 50, cursor: pageParam, ...filter } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export type Webhook = Schemas['WebhookSubscription'];
const webhooksKey = (orgId: string) => ['orgs', orgId, 'webhooks'];

/** Admins only: the API answers 403 to others, so only an admin's page asks. */
export function useWebhooks(orgId: string) {
  return useQuery({
    queryKey: webhooksKey(orgId),
    queryFn: async () => allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/webhooks', { params: { path: { orgId }, query: { limit: 100, cursor } } }))),
  });
}

/** Answers the new subscription with its secret, which no later answer shows. */
export function useAddWebhook(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateWebhookSubscription']) => unwrap(api.POST('/api/v1/orgs/{orgId}/webhooks', { params: { path: { orgId } }, body })),
    onSuccess: async () => client.invalidateQueries({ queryKey: webhooksKey(orgId) }),
  });
}

export function useDeleteWebhook(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(api.DELETE('/api/v1/orgs/{orgId}/webhooks/{id}', { params: { path: { orgId, id } } })),
    onSuccess: async () => client.invalidateQueries({ queryKey: webhooksKey(orgId) }),
  });
}

const deliveriesKey = (orgId: string, webhookId: string) => ['orgs', orgId, 'webhooks', webhookId, 'deliveries'];

/** The newest 50 deliveries of one subscription. */
export function useWebhookDeliveries(orgId: string, webhookId: string | null) {
  return useQuery({
    queryKey: deliveriesKey(orgId, webhookId ?? ''),
    enabled: webhookId !== null,
    queryFn: async () =>
      unwrap(api.GET('/api/v1/orgs/{orgId}/webhooks/{id}/deliveries', { params: { path: { orgId, id: webhookId ?? '' }, query: { limit: 50 } } })),
  });
}

/** Sends a logged delivery's body again, as a new delivery. */
export function useRedeliver(orgId: string, webhookId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (redeliveryOfId: string) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/webhooks/{id}/deliveries', { params: { path: { orgId, id: webhookId } }, body: { redeliveryOfId } })),
    onSuccess: async () => client.invalidateQueries({ queryKey: deliveriesKey(orgId, webhookId) }),
  });
}
