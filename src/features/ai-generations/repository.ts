import { type SQL, and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import { aiGenerations, aiProviders } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type AiGenerationRow = typeof aiGenerations.$inferSelect;
export type Period = { from: Date | null; to: Date | null };

const inPeriod = (organizationId: string, period: Period): SQL =>
  and(
    eq(aiGenerations.organizationId, organizationId),
    period.from ? gte(aiGenerations.createdAt, period.from) : undefined,
    period.to ? lt(aiGenerations.createdAt, period.to) : undefined,
  ) as SQL;

export async function listAiGenerations(
  tx: Tx,
  organizationId: string,
  filter: Period &
    Partial<Pick<AiGenerationRow, 'generationType' | 'provider' | 'model'>> & {
      projectId?: string;
      aiProviderId?: string;
      userId?: string;
      afterId: string | null;
      limit: number;
    },
): Promise<AiGenerationRow[]> {
  const equal = <T>(column: Parameters<typeof eq>[0], value: T | undefined) => (value === undefined ? undefined : eq(column, value));
  return tx
    .select()
    .from(aiGenerations)
    .where(
      and(
        inPeriod(organizationId, filter),
        equal(aiGenerations.projectId, filter.projectId),
        equal(aiGenerations.aiProviderId, filter.aiProviderId),
        equal(aiGenerations.userId, filter.userId),
        equal(aiGenerations.generationType, filter.generationType),
        equal(aiGenerations.provider, filter.provider),
        equal(aiGenerations.model, filter.model),
        filter.afterId ? gt(aiGenerations.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(aiGenerations.id))
    .limit(filter.limit + 1);
}

export async function insertAiGeneration(
  tx: Tx,
  organizationId: string,
  values: Omit<typeof aiGenerations.$inferInsert, 'organizationId'> & { id: string },
): Promise<AiGenerationRow> {
  const [row] = await tx
    .insert(aiGenerations)
    .values({ ...values, organizationId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function aiProviderExists(tx: Tx, organizationId: string, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: aiProviders.id })
    .from(aiProviders)
    .where(and(eq(aiProviders.organizationId, organizationId), eq(aiProviders.id, id)));
  return row !== undefined;
}

/** Sums computed by PostgreSQL: token counts as bigint, cost as exact numeric text. */
const figures = {
  generations: sql<number>`count(*)::int`.mapWith(Number),
  promptTokens: sql<number>`coalesce(sum(${aiGenerations.promptTokens}), 0)::bigint`.mapWith(Number),
  completionTokens: sql<number>`coalesce(sum(${aiGenerations.completionTokens}), 0)::bigint`.mapWith(Number),
  totalTokens: sql<number>`coalesce(sum(${aiGenerations.totalTokens}), 0)::bigint`.mapWith(Number),
  cost: sql<string>`coalesce(sum(${aiGenerations.cost}), 0)::numeric(18, 6)::text`,
};

/** Calendar months in UTC, so a report reads the same whatever the server's time zone. */
const month = sql<string>`to_char(date_trunc('month', ${aiGenerations.createdAt} at time zone 'UTC'), 'YYYY-MM')`;

export async function usageByMonth(tx: Tx, organizationId: string, period: Period) {
  return tx
    .select({ month, provider: aiGenerations.provider, model: aiGenerations.model, ...figures })
    .from(aiGenerations)
    .where(inPeriod(organizationId, period))
    .groupBy(month, aiGenerations.provider, aiGenerations.model)
    .orderBy(month, aiGenerations.provider, aiGenerations.model);
}

export async function usageTotals(tx: Tx, organizationId: string, period: Period) {
  const [row] = await tx.select(figures).from(aiGenerations).where(inPeriod(organizationId, period));
  return row ?? { generations: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: '0.000000' };
}
