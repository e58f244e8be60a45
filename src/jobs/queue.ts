/**
 * The durable job queue: work that must not run inside a request (mail, webhook deliveries,
 * digests), kept in PostgreSQL's `jobs` table (migration 0020) and run by a worker inside the
 * server process (worker.ts).
 *
 * Enqueue inside the transaction of the change that asks for the work, so the job exists
 * exactly when that change committed:
 *
 * @example
 * await withTenant(db, context, async (tx) => {
 *   const invitation = await insertInvitation(tx, ...);
 *   await enqueueJob(tx, { kind: 'webhook.deliver', payload: { organizationId, id: invitation.id } });
 * });
 *
 * A handler per kind (JobHandler) is given to the worker at start-up. A handler that throws is
 * retried with exponential backoff up to `maxAttempts`; one that throws PermanentJobError fails
 * at once. A handler that hands the job to the outside world calls `ctx.markSending()` first:
 * after a crash, a job left `running` is retried, one left `sending` is failed and never run
 * again, so nothing reaches the outside world twice.
 */
import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { type JobStatus, jobs } from '../db/schema/index.js';
import type { Tx } from '../db/tenant-context.js';

export type JobRow = typeof jobs.$inferSelect;

export type NewJob = {
  /** Which handler runs it: lowercase, dotted (`mail.send`). */
  kind: string;
  /** JSON the handler's schema parses; no secrets, the row is readable by operators. */
  payload: unknown;
  /** Not before; default now. */
  runAt?: Date;
  /** Runs in all, retries included (1 to 50); default 5. */
  maxAttempts?: number;
};

/**
 * Adds a job in the caller's transaction (a tenant or platform one); it runs after commit.
 * Returns its id.
 */
export async function enqueueJob(tx: Tx, job: NewJob): Promise<string> {
  const id = uuidv7();
  // No RETURNING: the app role may add jobs but not read them.
  await tx.insert(jobs).values({
    id,
    kind: job.kind,
    payload: job.payload,
    ...(job.runAt ? { runAt: job.runAt } : {}),
    ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
  });
  return id;
}

/** What a handler gets besides its payload. */
export type JobContext = {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /**
   * Commits the point of no return: from here a crash fails the job instead of retrying it.
   * Call it right before handing the job to something outside the database.
   */
  markSending(): Promise<void>;
};

/** How a run ended, for `onSettled`. */
export type JobOutcome =
  | { status: 'done' }
  | { status: 'retrying'; error: string; runAt: Date }
  | { status: 'failed'; error: string };

export type JobHandler<Payload> = {
  kind: string;
  payload: z.ZodType<Payload>;
  run(payload: Payload, ctx: JobContext): Promise<void>;
  /** Called when `markSending` commits, in the same platform transaction. */
  onSending?(tx: Tx, payload: Payload, ctx: { jobId: string; attempt: number }): Promise<void>;
  /** Called in the platform transaction that records the outcome (also for a crashed job). */
  onSettled?(tx: Tx, payload: Payload, outcome: JobOutcome, ctx: { jobId: string; attempt: number }): Promise<void>;
  /**
   * Turns work that writes recorded (not as jobs) into jobs of this kind, at the start of each
   * pass, so they are claimed in the same pass: the webhook dispatcher.
   */
  feed?(): Promise<unknown>;
};

/** Fails the job without retrying it: retrying cannot help, or could do the work twice. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/**
 * Takes up to `limit` due queued jobs of the given kinds, oldest due first, skipping rows
 * another worker holds, and leases them to `leaseToken` until `leaseMs` from now.
 */
export async function claimJobs(tx: Tx, options: { kinds: string[]; limit: number; leaseToken: string; leaseMs: number }): Promise<JobRow[]> {
  if (options.kinds.length === 0) return [];
  const due = tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'queued'), lte(jobs.runAt, sql`now()`), inArray(jobs.kind, options.kinds)))
    .orderBy(jobs.runAt, jobs.id)
    .limit(options.limit)
    .for('update', { skipLocked: true });
  return tx
    .update(jobs)
    .set({
      status: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      leaseToken: options.leaseToken,
      lockedUntil: sql`now() + make_interval(secs => ${options.leaseMs / 1000})`,
    })
    .where(inArray(jobs.id, due))
    .returning();
}

/** Moves a held job to `sending`; false when the lease is no longer ours. */
export async function markJobSending(tx: Tx, id: string, leaseToken: string): Promise<boolean> {
  const rows = await tx
    .update(jobs)
    .set({ status: 'sending' })
    .where(and(eq(jobs.id, id), eq(jobs.leaseToken, leaseToken), eq(jobs.status, 'running')))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Records how a held job ended. Matched by lease, not status: a run that finishes after the
 * sweep gave up on it still records the truth (it was sent after all).
 */
export async function settleJob(tx: Tx, id: string, leaseToken: string, outcome: JobOutcome): Promise<boolean> {
  const values =
    outcome.status === 'retrying'
      ? { status: 'queued' as const, runAt: outcome.runAt, lastError: outcome.error, leaseToken: null, lockedUntil: null }
      : // The token stays on a finished job, so its holder can still record a late truth.
        { status: outcome.status, lastError: outcome.status === 'failed' ? outcome.error : null, finishedAt: sql`now()`, lockedUntil: null };
  const rows = await tx
    .update(jobs)
    .set(values)
    .where(and(eq(jobs.id, id), eq(jobs.leaseToken, leaseToken)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Jobs of the given kinds whose holder's lease ran out (its process died or hung), locked. */
export async function lockLapsedJobs(tx: Tx, kinds: string[], limit: number): Promise<JobRow[]> {
  if (kinds.length === 0) return [];
  return tx
    .select()
    .from(jobs)
    .where(and(inArray(jobs.status, ['running', 'sending'] satisfies JobStatus[]), lt(jobs.lockedUntil, sql`now()`), inArray(jobs.kind, kinds)))
    .orderBy(jobs.lockedUntil)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Removes finished jobs older than `olderThanMs`; the mail record outlives them. */
export async function deleteFinishedJobs(tx: Tx, olderThanMs: number): Promise<number> {
  const rows = await tx
    .delete(jobs)
    .where(lt(jobs.finishedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`))
    .returning({ id: jobs.id });
  return rows.length;
}

/** Removes top-level fields from a job's payload, e.g. a body that carried a one-time link. */
export async function dropPayloadFields(tx: Tx, id: string, fields: string[]): Promise<void> {
  await tx
    .update(jobs)
    .set({ payload: sql`${jobs.payload} - array[${sql.join(fields.map((f) => sql`${f}`), sql`, `)}]::text[]` })
    .where(eq(jobs.id, id));
}
