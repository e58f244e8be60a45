import { and, eq, sql } from 'drizzle-orm';
import { aiGenerations } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type AiGenerationRow = typeof aiGenerations.$inferSelect;

const inOrganization = (organizationId: string, id: string) => and(eq(aiGenerations.organizationId, organizationId), eq(aiGenerations.id, id));

/** The generation as written before the call: reserved, with nothing used yet. */
export async function insertReserved(
  tx: Tx,
  organizationId: string,
  values: Pick<typeof aiGenerations.$inferInsert, 'id' | 'projectId' | 'userId' | 'aiProviderId' | 'generationType' | 'task' | 'provider' | 'model' | 'prompt' | 'reservedTokens' | 'priceVersion' | 'metadata'>,
): Promise<AiGenerationRow> {
  const [row] = await tx
    .insert(aiGenerations)
    .values({ ...values, organizationId, status: 'reserved' })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export type Settlement = {
  status: 'succeeded' | 'failed' | 'canceled';
  response: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  error: string | null;
  /** Per million tokens, exact text; null when the model had no price. */
  price: { input: string; output: string } | null;
  metadata: Record<string, unknown>;
};

/**
 * Writes what the call used; the cost is computed by PostgreSQL in exact numeric. With
 * `onlyIfReserved` it writes only a generation still reserved, and answers undefined for one
 * the stale-reservation sweep already released.
 */
export async function settleGeneration(tx: Tx, organizationId: string, id: string, s: Settlement, onlyIfReserved = false): Promise<AiGenerationRow | undefined> {
  const cost = s.price
    ? sql`round((${s.inputTokens}::numeric * ${s.price.input}::numeric + ${s.outputTokens}::numeric * ${s.price.output}::numeric) / 1000000, 6)`
    : sql`0`;
  const [row] = await tx
    .update(aiGenerations)
    .set({
      status: s.status,
      response: s.response,
      promptTokens: s.inputTokens,
      completionTokens: s.outputTokens,
      totalTokens: s.inputTokens + s.outputTokens,
      cost,
      latencyMs: s.latencyMs,
      error: s.error,
      reservedTokens: 0,
      metadata: sql`${aiGenerations.metadata} || ${JSON.stringify(s.metadata)}::jsonb`,
    })
    .where(and(inOrganization(organizationId, id), onlyIfReserved ? eq(aiGenerations.status, 'reserved') : undefined))
    .returning();
  return row;
}

export async function findGeneration(tx: Tx, organizationId: string, id: string): Promise<AiGenerationRow | undefined> {
  const [row] = await tx.select().from(aiGenerations).where(inOrganization(organizationId, id));
  return row;
}

/**
 * Marks a stories generation accepted, once: the condition and the write are one statement, so
 * of two accepts at once only one gets the row back.
 */
export async function claimAcceptance(tx: Tx, organizationId: string, id: string): Promise<AiGenerationRow | undefined> {
  const [row] = await tx
    .update(aiGenerations)
    .set({ metadata: sql`${aiGenerations.metadata} || jsonb_build_object('acceptedAt', now())` })
    .where(and(inOrganization(organizationId, id), eq(aiGenerations.task, 'stories'), eq(aiGenerations.status, 'succeeded'), sql`not (${aiGenerations.metadata} ? 'acceptedAt')`))
    .returning();
  return row;
}

export async function recordAcceptedTasks(tx: Tx, organizationId: string, id: string, taskIds: string[]): Promise<AiGenerationRow | undefined> {
  const [row] = await tx
    .update(aiGenerations)
    .set({ metadata: sql`${aiGenerations.metadata} || jsonb_build_object('acceptedTaskIds', ${JSON.stringify(taskIds)}::jsonb)` })
    .where(inOrganization(organizationId, id))
    .returning();
  return row;
}

export async function releaseAcceptance(tx: Tx, organizationId: string, id: string): Promise<void> {
  await tx
    .update(aiGenerations)
    .set({ metadata: sql`${aiGenerations.metadata} - 'acceptedAt'` })
    .where(inOrganization(organizationId, id));
}
