import { type SQL, and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import { aiGenerations } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type AiGenerationRow = typeof aiGenerations.$inferSelect;

const inOrganization = (organizationId: string, id: string) => and(eq(aiGenerations.organizationId, organizationId), eq(aiGenerations.id, id));

type ReservedValues = Pick<
  typeof aiGenerations.$inferInsert,
  'id' | 'projectId' | 'userId' | 'aiProviderId' | 'generationType' | 'task' | 'provider' | 'model' | 'prompt' | 'reservedTokens' | 'priceVersion' | 'metadata'
>;

/**
 * Writes the generation as it stands before the call (reserved, nothing used yet) in one
 * statement with `reservation`, the ledger's query that holds its tokens (budget.ts): the
 * generation is written only when the reservation answers its row. Answers the month the tokens
 * are held in, or undefined when they did not fit and nothing was written.
 */
export async function insertReserved(tx: Tx, organizationId: string, values: ReservedValues, reservation: SQL): Promise<string | undefined> {
  const [row] = rowsOf<{ month: string }>(
    await tx.execute(sql`
      with reservation as (${reservation}),
      generation as (
        insert into ai_generations (organization_id, id, project_id, user_id, ai_provider_id, generation_type, task, provider, model,
                                    prompt, reserved_tokens, price_version, metadata, status)
        select ${organizationId}::uuid, ${values.id}::uuid, ${values.projectId ?? null}::uuid, ${values.userId ?? null}::uuid,
               ${values.aiProviderId ?? null}::uuid, ${values.generationType}, ${values.task ?? null}, ${values.provider}, ${values.model},
               ${values.prompt ?? null}, ${values.reservedTokens ?? 0}::int, ${values.priceVersion ?? null}::int,
               ${JSON.stringify(values.metadata ?? {})}::jsonb, 'reserved'
          from reservation
      )
      select month from reservation`),
  );
  return row?.month;
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
  /** The tokens the generation held, given back when it is settled while still reserved. */
  reserved: number;
};

/** The settled columns; the cost is computed by PostgreSQL in exact numeric. */
function settledValues(s: Settlement) {
  const cost = s.price
    ? sql`round((${s.inputTokens}::numeric * ${s.price.input}::numeric + ${s.outputTokens}::numeric * ${s.price.output}::numeric) / 1000000, 6)`
    : sql`0`;
  return {
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
  };
}

/**
 * Writes what the call used to a generation still reserved, and runs `settlement` (the ledger's
 * statement, budget.ts) in the same statement, handing it the tokens to give back: the
 * generation's reservation when it was still reserved here, else 0. Answers the generation, or
 * undefined when it was no longer reserved: the stale-reservation sweep released it first (its
 * row lock orders the two), and the settlement gave nothing back.
 */
export async function settleReserved(
  tx: Tx,
  organizationId: string,
  id: string,
  s: Settlement,
  settlement: (released: SQL) => SQL,
): Promise<AiGenerationRow | undefined> {
  const settled = tx
    .$with('settled')
    .as(
      tx
        .update(aiGenerations)
        .set(settledValues(s))
        .where(and(inOrganization(organizationId, id), eq(aiGenerations.status, 'reserved')))
        .returning(),
    );
  const released = sql`coalesce((select ${s.reserved}::bigint from ${settled}), 0)`;
  const usage = tx.$with('usage', {}).as(settlement(released));
  const [row] = await tx.with(settled, usage).select().from(settled);
  return row;
}

/** Writes what the call used to the generation whatever its status: for one the sweep released. */
export async function settleGeneration(tx: Tx, organizationId: string, id: string, s: Settlement): Promise<AiGenerationRow | undefined> {
  const [row] = await tx.update(aiGenerations).set(settledValues(s)).where(inOrganization(organizationId, id)).returning();
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
