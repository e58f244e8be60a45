import { v7 as uuidv7 } from 'uuid';
import { OutboundAddressRefused } from '../../net/outbound-guard.js';
import { assertPublicUrl } from './base-url.js';
import { decryptSecret, encryptSecret, secretHint } from '../../crypto/envelope.js';
import { organizationDataKey } from '../../crypto/tenant-data-key.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertFeature } from '../plans/features.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { AiProviderListFilter, CreateAiProviderInput, UpdateAiProviderInput } from './schemas.js';

/** What creating or changing a provider needs besides the caller. */
export type ProviderDeps = { masterKey: Buffer; allowPrivate: boolean };

/** A base URL whose host is, or resolves to, a private address is refused unless OUTBOUND_ALLOW_PRIVATE. */
async function assertBaseUrlAllowed(baseUrl: string, allowPrivate: boolean): Promise<void> {
  try {
    await assertPublicUrl(new URL(baseUrl), allowPrivate);
  } catch (error) {
    if (!(error instanceof OutboundAddressRefused)) throw error;
    throw new TenantryError('validation_failed', error.message, [{ path: 'baseUrl', message: error.message }]);
  }
}

/** The AAD that pins a sealed API key to its organization and row. */
export const apiKeyContext = (organizationId: string, id: string) => `ai_providers:${organizationId}:${id}`;

async function sealApiKey(tx: Tx, call: ServiceCall, masterKey: Buffer, id: string, apiKey: string): Promise<repository.SealedKey> {
  const organizationId = call.scope.organizationId;
  const dataKey = await organizationDataKey(tx, organizationId, masterKey);
  return { apiKeyCiphertext: encryptSecret(dataKey, apiKey, apiKeyContext(organizationId, id)), apiKeyHint: secretHint(apiKey) };
}

async function assertNameFree(tx: Tx, organizationId: string, name: string | undefined, id: string): Promise<void> {
  if (name !== undefined && (await repository.nameTaken(tx, organizationId, name, id))) {
    throw new TenantryError('conflict', `an AI provider named "${name}" already exists`, [{ path: 'name', message: 'already in use' }]);
  }
}

export async function listAiProviders(call: ServiceCall, filter: AiProviderListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listAiProviders(tx, call.scope.organizationId, {
      ...(filter.provider ? { provider: filter.provider } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      afterId,
      limit: filter.limit,
    }),
  );
  return toPage(rows, filter.limit);
}

export async function getAiProvider(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return found(await inTenant(call, (tx) => repository.findAiProvider(tx, call.scope.organizationId, id)), 'AI provider');
}

/**
 * Admins only, and only when the plan includes `ai_assistant`; the key is sealed before it is
 * stored. Without a name the provider is called after its kind and model ("openai gpt-4o-mini").
 */
export async function createAiProvider(call: ServiceCall, deps: ProviderDeps, input: CreateAiProviderInput) {
  requirePermission(call, 'ai-providers:manage');
  const { organizationId, userId } = call.scope;
  const { apiKey, kind, model, ...fields } = input;
  if (kind === 'openai-compatible' && !fields.baseUrl) {
    throw new TenantryError('validation_failed', 'an openai-compatible provider needs its baseUrl', [{ path: 'baseUrl', message: 'required for openai-compatible' }]);
  }
  if (fields.baseUrl) await assertBaseUrlAllowed(fields.baseUrl, deps.allowPrivate);
  return inTenant(call, async (tx) => {
    await assertFeature(tx, organizationId, 'ai_assistant');
    const id = uuidv7();
    const name = fields.name ?? [kind, model].filter(Boolean).join(' ');
    await assertNameFree(tx, organizationId, name, id);
    const sealed = apiKey ? await sealApiKey(tx, call, deps.masterKey, id, apiKey) : { apiKeyCiphertext: null, apiKeyHint: null };
    if (fields.isDefault) await repository.clearDefault(tx, organizationId, id);
    return repository.insertAiProvider(tx, organizationId, { ...fields, name, provider: kind, defaultModel: model ?? null, ...sealed, id, createdById: userId });
  });
}

/**
 * Changing or removing a key is never gated by the plan: an organization that downgraded must
 * still be able to rotate a leaked key.
 */
export async function updateAiProvider(call: ServiceCall, deps: ProviderDeps, id: string, input: UpdateAiProviderInput) {
  requirePermission(call, 'ai-providers:manage');
  const { organizationId } = call.scope;
  const { apiKey, model, ...fields } = input;
  if (fields.baseUrl) await assertBaseUrlAllowed(fields.baseUrl, deps.allowPrivate);
  return inTenant(call, async (tx) => {
    const current = found(await repository.findAiProvider(tx, organizationId, id), 'AI provider');
    await assertNameFree(tx, organizationId, fields.name, id);
    const sealed =
      apiKey === undefined ? {} : apiKey === null ? { apiKeyCiphertext: null, apiKeyHint: null } : await sealApiKey(tx, call, deps.masterKey, id, apiKey);
    const changes = { ...fields, ...(model === undefined ? {} : { defaultModel: model }), ...sealed };
    if (Object.keys(changes).length === 0) return current;
    if (fields.isDefault) await repository.clearDefault(tx, organizationId, id);
    return found(await repository.updateAiProvider(tx, organizationId, id, changes), 'AI provider');
  });
}

export async function deleteAiProvider(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'ai-providers:manage');
  const deleted = await inTenant(call, (tx) => repository.deleteAiProvider(tx, call.scope.organizationId, id));
  if (!deleted) throw new TenantryError('not_found', 'AI provider not found');
}

/** What a model call needs: the provider as stored and its API key, opened for this call only. */
export type CallableProvider = repository.AiProviderView & { apiKey: string | null };

/**
 * Opens the provider's key inside the caller's tenant transaction. The key's AAD names the
 * organization and the row, so a key sealed for another organization cannot open here.
 */
export async function openProviderForCall(tx: Tx, organizationId: string, masterKey: Buffer, id: string): Promise<CallableProvider> {
  const row = found(await repository.findSealedProvider(tx, organizationId, id), 'AI provider');
  const { apiKeyCiphertext, ...provider } = row;
  if (!apiKeyCiphertext) return { ...provider, apiKey: null };
  const dataKey = await organizationDataKey(tx, organizationId, masterKey);
  return { ...provider, apiKey: decryptSecret(dataKey, Buffer.from(apiKeyCiphertext), apiKeyContext(organizationId, id)) };
}
