import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { type AiProviderKind, aiModelPrices } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type AiModelPriceRow = typeof aiModelPrices.$inferSelect;

/** Every version (history) or the newest version of each model, ordered by id for keyset pages. */
export async function listPrices(
  tx: Tx,
  organizationId: string,
  filter: { history: boolean; model?: string; afterId: string | null; limit: number },
): Promise<AiModelPriceRow[]> {
  const newest = sql`not exists (select from ai_model_prices later
     where later.organization_id = ${aiModelPrices.organizationId} and later.kind = ${aiModelPrices.kind}
       and later.model = ${aiModelPrices.model} and later.version > ${aiModelPrices.version})`;
  return tx
    .select()
    .from(aiModelPrices)
    .where(
      and(
        eq(aiModelPrices.organizationId, organizationId),
        filter.history ? undefined : newest,
        filter.model ? eq(aiModelPrices.model, filter.model) : undefined,
        filter.afterId ? gt(aiModelPrices.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(aiModelPrices.id))
    .limit(filter.limit + 1);
}

/** The price in force for a model: its newest version. */
export async function currentPrice(tx: Tx, organizationId: string, kind: AiProviderKind, model: string): Promise<AiModelPriceRow | undefined> {
  const [row] = await tx
    .select()
    .from(aiModelPrices)
    .where(and(eq(aiModelPrices.organizationId, organizationId), eq(aiModelPrices.kind, kind), eq(aiModelPrices.model, model)))
    .orderBy(desc(aiModelPrices.version))
    .limit(1);
  return row;
}

/**
 * Adds the model's next version. Two admins saving at once compute the same number and the
 * unique key refuses the second (409), so no version is ever overwritten.
 */
export async function insertNextVersion(
  tx: Tx,
  organizationId: string,
  values: { id: string; kind: AiProviderKind; model: string; inputPerMillion: string; outputPerMillion: string; createdById: string },
): Promise<AiModelPriceRow> {
  const previous = await currentPrice(tx, organizationId, values.kind, values.model);
  const [row] = await tx
    .insert(aiModelPrices)
    .values({ ...values, organizationId, version: (previous?.version ?? 0) + 1 })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}
