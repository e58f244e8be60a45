import { and, eq, isNull, sql } from 'drizzle-orm';
import { projectAssets } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { currentPlan } from './current-plan.js';
import { lockLimit } from './limits.js';
import { assertInGoodStanding } from './standing.js';

/**
 * Refuses with 402 while the subscription is past due or canceled, and refuses to store
 * `addingBytes` more when live assets would exceed the plan's `max_storage_bytes` (NULL means
 * unlimited). Like `assertWithinLimit`, a transaction lock per organization serialises
 * concurrent uploads, so two cannot both take the last bytes.
 */
export async function assertWithinStorageLimit(tx: Tx, organizationId: string, addingBytes: number): Promise<void> {
  await lockLimit(tx, organizationId, 'storage');
  await assertInGoodStanding(tx, organizationId);
  const plan = await currentPlan(tx, organizationId);
  const limit = plan?.maxStorageBytes ?? null;
  if (limit === null) return;
  const [usage] = await tx
    .select({ used: sql<string>`coalesce(sum(${projectAssets.sizeBytes}), 0)` })
    .from(projectAssets)
    .where(and(eq(projectAssets.organizationId, organizationId), isNull(projectAssets.deletedAt)));
  const used = Number(usage?.used ?? 0);
  if (used + addingBytes > limit) {
    throw new TenantryError('limit_exceeded', `the plan allows ${limit} bytes of files; ${used} are in use`, {
      resource: 'storage',
      limit,
      used,
      adding: addingBytes,
    });
  }
}
