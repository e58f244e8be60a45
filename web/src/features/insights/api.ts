import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type Prediction = Schemas['Prediction'];
export type InsufficientHistory = Schemas['InsufficientHistory'];
export type Gap = Schemas['Gap'];

const predictionsKey = (orgId: string, projectId: string) => ['orgs', orgId, 'projects', projectId, 'predictions', 'delivery_date'];

/** The project's latest stored delivery forecast (null when none was made yet). */
export function useLatestForecast(orgId: string, projectId: string) {
  return useQuery({
    queryKey: predictionsKey(orgId, projectId),
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/predictions', { params: { path: { orgId, projectId }, query: { predictionType: 'delivery_date', limit: 20 } } }),
      );
      return [...page.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
    },
  });
}

/** Runs a new forecast (members and up): a stored prediction, or the reason there is too little history. */
export function useRunForecast(orgId: string, projectId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<Prediction | InsufficientHistory> =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/predictions/delivery', { params: { path: { orgId, projectId } }, body: { historyWeeks: 12 } })),
    onSuccess: async (answer) => {
      if (!('insufficientHistory' in answer)) await client.invalidateQueries({ queryKey: predictionsKey(orgId, projectId) });
    },
  });
}

export type PercentileRow = { percentile: number; date: string; days: number };

/**
 * A forecast's completion dates by percentile, earliest first. Forecasts from the API carry
 * `percentiles: {"50": date}`; older stored ones (the demo's) carry `p50`, `p80` … at the top.
 */
export function percentilesOf(prediction: Prediction): PercentileRow[] {
  const result = prediction.result as Record<string, unknown>;
  const entries: [number, unknown][] = result.percentiles
    ? Object.entries(result.percentiles).map(([key, value]) => [Number(key), value])
    : Object.entries(result).flatMap(([key, value]) => (/^p\d{1,2}$/.test(key) ? [[Number(key.slice(1)), value] as [number, unknown]] : []));
  const start = Date.parse(prediction.createdAt.slice(0, 10));
  return entries
    .filter((entry): entry is [number, string] => typeof entry[1] === 'string' && /^\d{4}-\d{2}-\d{2}/.test(entry[1]))
    .map(([percentile, date]) => ({ percentile, date: date.slice(0, 10), days: Math.max(0, Math.round((Date.parse(date.slice(0, 10)) - start) / 86_400_000)) }))
    .sort((a, b) => a.percentile - b.percentile);
}

const gapsKey = (orgId: string, projectId: string) => ['orgs', orgId, 'projects', projectId, 'gaps'];

export function useGaps(orgId: string, projectId: string) {
  return useQuery({
    queryKey: gapsKey(orgId, projectId),
    queryFn: async () =>
      allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/gaps', { params: { path: { orgId, projectId }, query: { limit: 100, cursor } } }))),
  });
}

export function useCreateGap(orgId: string, projectId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateGap']) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/gaps', { params: { path: { orgId, projectId } }, body })),
    onSuccess: async () => client.invalidateQueries({ queryKey: gapsKey(orgId, projectId) }),
  });
}

export type MonthUsage = { month: string; tokens: number; cost: number; generations: number };

/**
 * The organization's AI tokens per calendar month (all providers and models added up), and the
 * monthly budget in force: the smaller of the organization's own and the plan's.
 */
export function useAiUsageByMonth(orgId: string) {
  const usage = useQuery({
    queryKey: ['orgs', orgId, 'ai-usage'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/ai-generations/usage', { params: { path: { orgId } } })),
  });
  const budget = useQuery({
    queryKey: ['orgs', orgId, 'ai', 'budget'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/ai/budget', { params: { path: { orgId } } })),
  });
  const months = new Map<string, MonthUsage>();
  for (const item of usage.data?.items ?? []) {
    const month = months.get(item.month) ?? { month: item.month, tokens: 0, cost: 0, generations: 0 };
    month.tokens += item.totalTokens;
    month.cost += Number(item.cost);
    month.generations += item.generations;
    months.set(item.month, month);
  }
  return {
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    budget: budget.data?.budget ?? null,
    organizationBudget: budget.data?.organizationBudget ?? null,
    planBudget: budget.data?.planBudget ?? null,
    isPending: usage.isPending || budget.isPending,
    error: usage.error ?? budget.error,
  };
}
