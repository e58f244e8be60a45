import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type GenerationRecord = Schemas['AiGenerationRecord'];
/** The generate body; maxOutputTokens is the server's default when left out. */
export type GenerateBody = Omit<Schemas['Generate'], 'maxOutputTokens'> & { maxOutputTokens?: number };

/** The server's own default (GenerateBody in src/features/ai-generate/schemas.ts): the types mark it required. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

export function withDefaults(body: GenerateBody): Schemas['Generate'] {
  return { ...body, maxOutputTokens: body.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS };
}
export type AiProvider = Schemas['AiProvider'];
export type AiPrice = Schemas['AiModelPrice'];
export type AiBudget = Schemas['AiBudget'];
export type ProjectPrompt = Schemas['ProjectPrompt'];
export type AcceptedTask = Schemas['Task'];

/** The kinds the server can call (src/features/ai-generate/language-model.ts); others are stored only. */
const CALLABLE_KINDS = new Set(['openai', 'anthropic', 'openai-compatible', 'ollama']);

/** The providers a member can generate with: active, of a kind the server calls, the default first. */
export function useCallableProviders(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'ai-providers', 'callable'],
    queryFn: async () => {
      const all = await allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/ai-providers', { params: { path: { orgId }, query: { limit: 100, cursor } } })));
      return all.filter((provider) => provider.status === 'active' && CALLABLE_KINDS.has(provider.kind)).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    },
  });
}

/** Everything a generation changes: the budget, the usage figures, the generation lists. */
function useInvalidateUsage(orgId: string) {
  const client = useQueryClient();
  return async () => {
    await Promise.all(
      [['orgs', orgId, 'ai'], ['orgs', orgId, 'ai-usage'], ['orgs', orgId, 'usage']].map((queryKey) => client.invalidateQueries({ queryKey })),
    );
  };
}

/** One generation without streaming: the settled record, or the refusal (budget, plan) or provider error. */
export function useGenerate(orgId: string) {
  const invalidate = useInvalidateUsage(orgId);
  return useMutation({
    mutationFn: async (body: GenerateBody): Promise<GenerationRecord> => {
      const answer = await unwrap(api.POST('/api/v1/orgs/{orgId}/ai/generate', { params: { path: { orgId } }, body: withDefaults(body) }));
      // The same operation streams text when asked to; without Accept: text/event-stream it answers the record.
      if (typeof answer === 'string') throw new Error('the server streamed an answer that was asked for as JSON');
      return answer;
    },
    onSettled: invalidate,
  });
}

/** Creates tasks (type story) from the chosen proposals of a stories generation, once. */
export function useAcceptStories(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ generationId, stories }: { generationId: string; stories: number[] }) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/ai-generations/{id}/accept', { params: { path: { orgId, id: generationId } }, body: { stories } })),
    onSuccess: async () => {
      await Promise.all(['board', 'tasks', 'planning'].map((segment) => client.invalidateQueries({ queryKey: ['orgs', orgId, segment] })));
    },
  });
}

export const promptsKey = (orgId: string, projectId: string) => ['orgs', orgId, 'ai', 'prompts', projectId];

/** Every message of the project's conversations, oldest first. */
export function useProjectPrompts(orgId: string, projectId: string) {
  return useQuery({
    queryKey: promptsKey(orgId, projectId),
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/prompts', { params: { path: { orgId, projectId }, query: { limit: 100, cursor } } })),
      ),
  });
}

export type Conversation = { id: string; opening: string; messages: ProjectPrompt[]; lastAt: string };

/** Messages grouped by conversation, the most recently active first. */
export function conversationsOf(messages: ProjectPrompt[]): Conversation[] {
  const byId = new Map<string, Conversation>();
  for (const message of messages) {
    const conversation = byId.get(message.conversationId) ?? { id: message.conversationId, opening: '', messages: [], lastAt: message.createdAt };
    conversation.messages.push(message);
    if (!conversation.opening && message.role === 'user') conversation.opening = message.content;
    if (message.createdAt > conversation.lastAt) conversation.lastAt = message.createdAt;
    byId.set(message.conversationId, conversation);
  }
  return [...byId.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt));
}

export function useAiBudget(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'ai', 'budget'],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/ai/budget', { params: { path: { orgId } } })),
  });
}

/**
 * Sets (or, with null, removes) the organization's own monthly token budget. PATCH replaces
 * the settings object whole, so the other settings are sent back as they are.
 */
export function useSetMonthlyBudget(org: Schemas['Organization']) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (tokens: number | null) => {
      const ai = { ...org.settings.ai };
      if (tokens === null) delete ai.monthlyTokenBudget;
      else ai.monthlyTokenBudget = tokens;
      const settings = { ...org.settings, ai };
      return unwrap(api.PATCH('/api/v1/orgs/{orgId}', { params: { path: { orgId: org.id } }, body: { settings } }));
    },
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: ['organizations'] }), client.invalidateQueries({ queryKey: ['orgs', org.id, 'ai'] })]);
    },
  });
}

/** Each model's current price, or with `history` every version, oldest first per model. */
export function useAiPrices(orgId: string, history: boolean) {
  return useQuery({
    queryKey: ['orgs', orgId, 'ai', 'prices', { history }],
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/ai/prices', { params: { path: { orgId }, query: { limit: 100, cursor, history: history ? 'true' : 'false' } } })),
      ),
  });
}

/** Adds the model's next price version (admins); generations made before keep naming theirs. */
export function useSetAiPrice(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['SetAiModelPrice']) => unwrap(api.POST('/api/v1/orgs/{orgId}/ai/prices', { params: { path: { orgId } }, body })),
    onSuccess: async () => client.invalidateQueries({ queryKey: ['orgs', orgId, 'ai', 'prices'] }),
  });
}

/** The first instant of the current UTC month, as the API's `from` filter takes it. */
export function monthStart(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

/** This month's generations, newest first. */
export function useGenerationsThisMonth(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'ai', 'generations', 'month'],
    queryFn: async () => {
      const from = monthStart();
      const all = await allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/ai-generations', { params: { path: { orgId }, query: { limit: 100, cursor, from } } })));
      return all.reverse();
    },
  });
}
