import { type SQL, and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { aiProviders } from '../../db/schema/index.js';
import { clearReferences } from '../../db/cleared-references.js';
import type { Tx } from '../../db/tenant-context.js';
import type { AiProviderKind } from '../../db/schema/index.js';

/**
 * Every column the API may show. The ciphertext is left out of every read and `returning`, so
 * a sealed key never even reaches the application unless something asks for it on purpose.
 */
const shown = {
  id: aiProviders.id,
  organizationId: aiProviders.organizationId,
  kind: aiProviders.provider,
  model: aiProviders.defaultModel,
  provider: aiProviders.provider,
  name: aiProviders.name,
  defaultModel: aiProviders.defaultModel,
  baseUrl: aiProviders.baseUrl,
  apiKeyHint: aiProviders.apiKeyHint,
  hasApiKey: sql<boolean>`${aiProviders.apiKeyCiphertext} is not null`.as('has_api_key'),
  isDefault: aiProviders.isDefault,
  status: aiProviders.status,
  createdById: aiProviders.createdById,
  createdAt: aiProviders.createdAt,
  updatedAt: aiProviders.updatedAt,
};

export type AiProviderView = Omit<typeof aiProviders.$inferSelect, 'apiKeyCiphertext'> & {
  hasApiKey: boolean;
  kind: AiProviderKind;
  model: string | null;
};

/** The columns a caller may set, as stored. */
export type ProviderChanges = Partial<Pick<typeof aiProviders.$inferInsert, 'name' | 'defaultModel' | 'baseUrl' | 'isDefault' | 'status'>>;

/** The sealed key and its hint, as stored. */
export type SealedKey = { apiKeyCiphertext: Uint8Array | null; apiKeyHint: string | null };

const inOrganization = (organizationId: string, id: string): SQL =>
  and(eq(aiProviders.organizationId, organizationId), eq(aiProviders.id, id)) as SQL;

export async function listAiProviders(
  tx: Tx,
  organizationId: string,
  filter: { provider?: AiProviderView['provider']; status?: AiProviderView['status']; afterId: string | null; limit: number },
): Promise<AiProviderView[]> {
  return tx
    .select(shown)
    .from(aiProviders)
    .where(
      and(
        eq(aiProviders.organizationId, organizationId),
        filter.provider ? eq(aiProviders.provider, filter.provider) : undefined,
        filter.status ? eq(aiProviders.status, filter.status) : undefined,
        filter.afterId ? gt(aiProviders.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(aiProviders.id))
    .limit(filter.limit + 1);
}

export async function findAiProvider(tx: Tx, organizationId: string, id: string): Promise<AiProviderView | undefined> {
  const [row] = await tx.select(shown).from(aiProviders).where(inOrganization(organizationId, id));
  return row;
}

export async function insertAiProvider(
  tx: Tx,
  organizationId: string,
  values: ProviderChanges &
    Pick<typeof aiProviders.$inferInsert, 'provider' | 'name'> &
    SealedKey & { id: string; createdById: string },
): Promise<AiProviderView> {
  const [row] = await tx
    .insert(aiProviders)
    .values({ ...values, organizationId })
    .returning(shown);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateAiProvider(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: ProviderChanges & Partial<SealedKey>,
): Promise<AiProviderView | undefined> {
  const [row] = await tx.update(aiProviders).set(changes).where(inOrganization(organizationId, id)).returning(shown);
  return row;
}

/** Whether another provider of the organization already has this name (names are unique per organization). */
export async function nameTaken(tx: Tx, organizationId: string, name: string, exceptId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: aiProviders.id })
    .from(aiProviders)
    .where(and(eq(aiProviders.organizationId, organizationId), eq(aiProviders.name, name), ne(aiProviders.id, exceptId)));
  return row !== undefined;
}

/** Unmarks the current default so another provider can take the one default slot. */
export async function clearDefault(tx: Tx, organizationId: string, exceptId: string): Promise<void> {
  await tx
    .update(aiProviders)
    .set({ isDefault: false })
    .where(and(eq(aiProviders.organizationId, organizationId), eq(aiProviders.isDefault, true), ne(aiProviders.id, exceptId)));
}

/** Hard delete (the table has no deleted_at); generations keep their record with the reference cleared. */
export async function deleteAiProvider(tx: Tx, organizationId: string, id: string): Promise<boolean> {
  await clearReferences(tx, organizationId, 'ai_providers', [id]);
  const rows = await tx.delete(aiProviders).where(inOrganization(organizationId, id)).returning({ id: aiProviders.id });
  return rows.length > 0;
}

/** The sealed key with what a call needs; only the generation service asks for it. */
export async function findSealedProvider(tx: Tx, organizationId: string, id: string) {
  const [row] = await tx
    .select({ ...shown, apiKeyCiphertext: aiProviders.apiKeyCiphertext })
    .from(aiProviders)
    .where(inOrganization(organizationId, id));
  return row;
}
