import { secretHint } from '../crypto/envelope.js';
import { type DemoAiProvider, demoApiKey, demoIntegrationCredentials } from './content/organizations.js';
import type { Slot } from './content/projects.js';
import type { OrganizationSeed } from './context.js';
import { leadOf } from './demo-work.js';
import { type Row, jsonb } from './writer.js';

/** Dollars per million tokens (input, output), for realistic cost figures. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'claude-sonnet-4': [3, 15],
  'llama3.1:8b': [0, 0],
};
const GENERATION_TYPES = ['prd', 'story', 'analysis', 'prediction', 'other'] as const;
const REQUESTERS: Slot[] = ['owner', 'admin', 'member', 'consultant'];
const MONTHS = 4;
const GENERATIONS_PER_MONTH = 4;

/**
 * AI usage and connections: a conversation per project, providers with an encrypted API key,
 * four months of generations with tokens and cost, and integrations with encrypted
 * credentials. Secrets are encrypted only for rows that do not exist yet.
 */
export async function seedAi(seed: OrganizationSeed): Promise<void> {
  await seedConversations(seed);
  await seedProviders(seed);
  await seedGenerations(seed);
  await seedPricesAndUsage(seed);
  await seedIntegrations(seed);
}

/**
 * The price table (one version per provider's model) and this month's token counter, so the
 * AI settings show figures and every tenant table has rows to probe.
 */
async function seedPricesAndUsage(seed: OrganizationSeed): Promise<void> {
  const { organization, clock } = seed;
  await seed.writer.insert(
    'ai_model_prices',
    organization.aiProviders.map((provider) => {
      const [input, output] = PRICES[provider.defaultModel] ?? [0, 0];
      return {
        organization_id: seed.id,
        id: seed.rowId('ai-price', provider.provider, provider.defaultModel, 1),
        kind: provider.provider,
        model: provider.defaultModel,
        version: 1,
        input_per_million: input.toFixed(6),
        output_per_million: output.toFixed(6),
        created_by_id: seed.user('admin'),
      };
    }),
  );
  await seed.writer.insert('ai_token_usage', [
    { organization_id: seed.id, id: seed.rowId('ai-token-usage', 0), month: `${clock.at(0).slice(0, 7)}-01`, used_tokens: 1_840, reserved_tokens: 0 },
  ]);
}

async function seedConversations(seed: OrganizationSeed): Promise<void> {
  const provider = defaultProvider(seed);
  for (const project of seed.organization.projects) {
    const asker = leadOf(project);
    await seed.writer.insert(
      'project_prompts',
      project.conversation.map((content, index) => {
        const fromUser = index % 2 === 0;
        return {
          organization_id: seed.id,
          id: seed.rowId('prompt', project.key, index),
          project_id: seed.rowId('project', project.key),
          conversation_id: seed.rowId('conversation', project.key),
          user_id: seed.user(asker),
          role: fromUser ? 'user' : 'assistant',
          content,
          provider: fromUser ? null : provider.provider,
          model: fromUser ? null : provider.defaultModel,
          tokens: Math.ceil(content.length / 4),
          metadata: jsonb(fromUser ? {} : { temperature: 0.3, finishReason: 'stop' }),
          created_at: seed.clock.at(-3, 10, index * 2),
        };
      }),
    );
  }
}

async function seedProviders(seed: OrganizationSeed): Promise<void> {
  const { writer, organization } = seed;
  await writer.actAs(seed.user('admin'));
  const ids = organization.aiProviders.map((provider) => providerId(seed, provider));
  const existing = await writer.existingIds('ai_providers', ids);
  const rows: Row[] = [];
  for (const provider of organization.aiProviders) {
    const id = providerId(seed, provider);
    if (existing.has(id)) continue;
    const apiKey = provider.hasKey ? demoApiKey(organization.slug, provider.name) : null;
    rows.push({
      organization_id: seed.id,
      id,
      provider: provider.provider,
      name: provider.name,
      default_model: provider.defaultModel,
      base_url: provider.baseUrl,
      api_key_ciphertext: apiKey === null ? null : await seed.keys.encrypt(writer, seed.id, 'ai_providers', id, apiKey),
      api_key_hint: apiKey === null ? null : secretHint(apiKey),
      is_default: provider.isDefault,
      status: provider.status,
      created_by_id: seed.user('admin'),
    });
  }
  await writer.insert('ai_providers', rows);
}

async function seedGenerations(seed: OrganizationSeed): Promise<void> {
  const { organization, clock } = seed;
  const rows: Row[] = [];
  for (let month = 0; month < MONTHS; month += 1) {
    for (let slot = 0; slot < GENERATIONS_PER_MONTH; slot += 1) {
      const n = month * GENERATIONS_PER_MONTH + slot;
      const provider = providerFor(seed, month, slot);
      const project = organization.projects[slot % organization.projects.length];
      const type = GENERATION_TYPES[n % GENERATION_TYPES.length] ?? 'other';
      const promptTokens = 350 + ((n * 137) % 900);
      const completionTokens = 600 + ((n * 211) % 2400);
      const [inputPrice, outputPrice] = PRICES[provider.defaultModel] ?? [0, 0];
      const cost = (promptTokens * inputPrice + completionTokens * outputPrice) / 1_000_000;
      rows.push({
        organization_id: seed.id,
        id: seed.rowId('generation', month, slot),
        project_id: project ? seed.rowId('project', project.key) : null,
        user_id: seed.user(REQUESTERS[slot % REQUESTERS.length] ?? 'owner'),
        ai_provider_id: providerId(seed, provider),
        generation_type: type,
        provider: provider.provider,
        model: provider.defaultModel,
        prompt: `Generate a ${type} for ${project?.name ?? organization.name}.`,
        response: `Draft ${type} for ${project?.name ?? organization.name} (${completionTokens} tokens).`,
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        cost: cost.toFixed(6),
        latency_ms: 800 + ((n * 389) % 7000),
        metadata: jsonb({ temperature: 0.2, source: 'demo' }),
        created_at: clock.at(-(month * 30 + slot * 7 + 1), 11 + slot),
      });
    }
  }
  await seed.writer.insert('ai_generations', rows);
}

async function seedIntegrations(seed: OrganizationSeed): Promise<void> {
  const { writer, organization, clock } = seed;
  const idOf = (type: string, name: string) => seed.rowId('integration', type, name);
  const existing = await writer.existingIds('integrations', organization.integrations.map((i) => idOf(i.type, i.name)));
  const rows: Row[] = [];
  for (const integration of organization.integrations) {
    const id = idOf(integration.type, integration.name);
    if (existing.has(id)) continue;
    const credentials = JSON.stringify(demoIntegrationCredentials(organization.slug, integration));
    rows.push({
      organization_id: seed.id,
      id,
      type: integration.type,
      name: integration.name,
      config: jsonb(integration.config),
      credentials_ciphertext: await seed.keys.encrypt(writer, seed.id, 'integrations', id, credentials),
      status: integration.status,
      last_sync_at: integration.status === 'pending' ? null : clock.at(-1, 6),
      last_error: integration.lastError,
      created_by_id: seed.user('admin'),
    });
  }
  await writer.insert('integrations', rows);
}

function providerId(seed: OrganizationSeed, provider: DemoAiProvider): string {
  return seed.rowId('ai_provider', provider.name);
}

function defaultProvider(seed: OrganizationSeed): DemoAiProvider {
  const provider = seed.organization.aiProviders.find((p) => p.isDefault);
  if (!provider) throw new Error(`demo organization ${seed.organization.slug} has no default AI provider`);
  return provider;
}

/** Mostly the default provider; a disabled one in older months (it was in use then), a keyless one now and then. */
function providerFor(seed: OrganizationSeed, month: number, slot: number): DemoAiProvider {
  const others = seed.organization.aiProviders.filter((p) => !p.isDefault);
  const disabled = others.find((p) => p.status === 'disabled');
  const alternative = others.find((p) => p.status === 'active');
  if (disabled && month >= 2) return disabled;
  if (alternative && slot === 3) return alternative;
  return defaultProvider(seed);
}
