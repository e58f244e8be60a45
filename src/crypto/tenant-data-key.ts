import { and, eq, isNull } from 'drizzle-orm';
import { organizations } from '../db/schema/index.js';
import type { Tx } from '../db/tenant-context.js';
import { TenantryError } from '../errors.js';
import { createDataKey, unwrapDataKey } from './envelope.js';

/**
 * The organization's data key, inside the caller's tenant transaction. Organizations created
 * before envelope encryption (or by the auth library) have none yet: one is created and stored
 * in the same transaction, so the key and the first secret sealed with it commit together.
 *
 * @example
 * const dataKey = await organizationDataKey(tx, organizationId, masterKey);
 * const sealed = encryptSecret(dataKey, apiKey, `ai_providers:${organizationId}:${id}`);
 */
export async function organizationDataKey(tx: Tx, organizationId: string, masterKey: Buffer): Promise<Buffer> {
  const stored = await readWrappedKey(tx, organizationId);
  if (stored) return unwrapDataKey(masterKey, stored);

  const { dataKey, wrappedKey } = createDataKey(masterKey);
  // `is null` makes the first writer win: a concurrent request waits on the row lock, then
  // updates nothing and reads the winner's key below.
  const [claimed] = await tx
    .update(organizations)
    .set({ wrappedDataKey: wrappedKey })
    .where(and(eq(organizations.id, organizationId), isNull(organizations.wrappedDataKey)))
    .returning({ id: organizations.id });
  if (claimed) return dataKey;

  const winner = await readWrappedKey(tx, organizationId);
  if (!winner) throw new TenantryError('not_found', 'organization not found');
  return unwrapDataKey(masterKey, winner);
}

async function readWrappedKey(tx: Tx, organizationId: string): Promise<Buffer | null> {
  const [row] = await tx
    .select({ wrappedDataKey: organizations.wrappedDataKey })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row?.wrappedDataKey ? Buffer.from(row.wrappedDataKey) : null;
}
