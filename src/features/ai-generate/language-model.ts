import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { TenantryError } from '../../errors.js';
import type { OutboundFetch } from '../../net/outbound-guard.js';
import type { CallableProvider } from '../ai-providers/service.js';

/** Ollama's OpenAI-compatible endpoint when an `ollama` provider names no base URL. */
const OLLAMA_BASE_URL = 'http://localhost:11434/v1';

/** The kinds a generation can call. */
export const CALLABLE_KINDS = ['openai', 'anthropic', 'openai-compatible', 'ollama'] as const;

/**
 * The AI SDK model for a stored provider. Every request goes through `fetch`, the outbound
 * guard, so a base URL that resolves to a private address is refused at connection time too.
 * OpenAI is called through Chat Completions (`.chat`), the protocol every OpenAI-compatible
 * server speaks as well, so one wire format covers both.
 */
export function languageModelFor(provider: CallableProvider, fetch: OutboundFetch): LanguageModel {
  const model = provider.model;
  if (!model) throw new TenantryError('validation_failed', `the AI provider "${provider.name}" names no model`, [{ path: 'providerId', message: 'the provider has no model' }]);
  // The SDK's fetch type is the DOM one; undici's fetch answers the same Response shape.
  const viaGuard = fetch as unknown as typeof globalThis.fetch;
  const apiKey = provider.apiKey ?? undefined;
  const baseURL = provider.baseUrl ?? undefined;
  switch (provider.kind) {
    case 'openai':
      return createOpenAI({ apiKey: needKey(provider), baseURL, fetch: viaGuard }).chat(model);
    case 'anthropic':
      return createAnthropic({ apiKey: needKey(provider), baseURL, fetch: viaGuard })(model);
    case 'openai-compatible':
    case 'ollama':
      return createOpenAICompatible({ name: provider.kind, apiKey, baseURL: baseURL ?? OLLAMA_BASE_URL, includeUsage: true, fetch: viaGuard })(model);
    default:
      throw new TenantryError('validation_failed', `AI providers of kind ${provider.kind} cannot be called; use ${CALLABLE_KINDS.join(', ')}`, [
        { path: 'providerId', message: `kind ${provider.kind} cannot be called` },
      ]);
  }
}

function needKey(provider: CallableProvider): string {
  if (!provider.apiKey) {
    throw new TenantryError('validation_failed', `the AI provider "${provider.name}" has no API key`, [{ path: 'providerId', message: 'the provider has no API key' }]);
  }
  return provider.apiKey;
}
