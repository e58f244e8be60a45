import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { type Tx, withPlatform } from '../db/tenant-context.js';
import {
  type JobContext,
  type JobHandler,
  type JobOutcome,
  type JobRow,
  PermanentJobError,
  claimJobs,
  deleteFinishedJobs,
  lockLapsedJobs,
  markJobSending,
  settleJob,
} from './queue.js';

export type WorkerOptions = {
  /** How often an idle worker looks for due jobs. */
  pollMs?: number;
  /** How long a claimed job is ours; a run longer than this is presumed dead. */
  leaseMs?: number;
  /** Delay before retry number `attempt + 1`; default 30 s doubling to at most 1 h, with jitter. */
  retryDelayMs?: (attempt: number) => number;
  /** Finished jobs are deleted after this long (their mail record stays). */
  keepFinishedMs?: number;
};

export type JobWorker = {
  /** One pass: give up on lapsed leases, then claim and run due jobs until none is due. Returns how many ran. */
  runDue(): Promise<number>;
  /** Stops polling and waits for the job in hand to finish. */
  stop(): Promise<void>;
};

const HOUR_MS = 60 * 60 * 1000;

/** 30 s, 1 min, 2 min, ... at most 1 h, each plus up to 20 % so retries of many jobs spread out. */
export function defaultRetryDelayMs(attempt: number): number {
  const base = Math.min(30_000 * 2 ** (attempt - 1), HOUR_MS);
  return Math.round(base * (1 + Math.random() * 0.2));
}

// Handlers differ in payload type; the worker only ever hands each its own parsed payload.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = JobHandler<any>;

/**
 * Runs the queue's jobs inside this process (src/main.ts starts it, like the purge schedule).
 * Several processes may each run one: claims skip rows another holds. `start: false` leaves
 * polling to the caller (`runDue`), for tests.
 */
export function startJobWorker(
  db: Database,
  logger: Logger,
  handlers: AnyHandler[],
  options: WorkerOptions & { start?: boolean } = {},
): JobWorker {
  const byKind = new Map(handlers.map((h) => [h.kind, h]));
  const kinds = [...byKind.keys()];
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  const keepFinishedMs = options.keepFinishedMs ?? 14 * 24 * HOUR_MS;
  const system = { requestId: 'system:jobs' };
  let stopped = false;
  let running: Promise<number> | null = null;
  let lastCleanup = 0;

  const settle = async (job: JobRow, handler: AnyHandler, payload: unknown, outcome: JobOutcome) =>
    withPlatform(db, system, async (tx) => {
      if (!job.leaseToken || !(await settleJob(tx, job.id, job.leaseToken, outcome))) return;
      if (payload !== undefined) await handler.onSettled?.(tx, payload, outcome, { jobId: job.id, attempt: job.attempts });
    });

  const failureOf = (job: JobRow, error: unknown): Exclude<JobOutcome, { status: 'done' }> => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts) return { status: 'failed', error: message };
    return { status: 'retrying', error: message, runAt: new Date(Date.now() + retryDelayMs(job.attempts)) };
  };

  const runJob = async (job: JobRow) => {
    const handler = byKind.get(job.kind);
    if (!handler) return;
    const parsed = handler.payload.safeParse(job.payload);
    if (!parsed.success) {
      logger.error({ job: { id: job.id, kind: job.kind } }, 'job payload does not fit its handler; failed without running');
      await settle(job, handler, undefined, { status: 'failed', error: `bad payload: ${parsed.error.message}` });
      return;
    }
    const payload: unknown = parsed.data;
    const ctx: JobContext = {
      jobId: job.id,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      markSending: async () => {
        const held = await withPlatform(db, system, async (tx: Tx) => {
          const ok = job.leaseToken !== null && (await markJobSending(tx, job.id, job.leaseToken));
          if (ok) await handler.onSending?.(tx, payload, { jobId: job.id, attempt: job.attempts });
          return ok;
        });
        // The lease ran out and the sweep took the job back: someone else may run it now.
        if (!held) throw new PermanentJobError('lost the lease before sending');
      },
    };
    let outcome: JobOutcome;
    try {
      await handler.run(payload, ctx);
      outcome = { status: 'done' };
    } catch (error) {
      const failure = failureOf(job, error);
      const failed = failure.status === 'failed';
      logger[failed ? 'error' : 'warn']({ job: { id: job.id, kind: job.kind, attempt: job.attempts }, error: failure.error }, failed ? 'job failed' : 'job will be retried');
      outcome = failure;
    }
    await settle(job, handler, payload, outcome);
  };

  /** Jobs whose holder died: retried when they never reached the outside world, failed when they may have. */
  const sweepLapsed = async () => {
    const lapsed = await withPlatform(db, system, (tx) => lockLapsedJobs(tx, kinds, 100));
    for (const job of lapsed) {
      const handler = byKind.get(job.kind);
      if (!handler) continue;
      const parsed = handler.payload.safeParse(job.payload);
      const outcome: JobOutcome =
        job.status === 'sending'
          ? { status: 'failed', error: 'interrupted after it was handed off; not retried, so it cannot be sent twice' }
          : failureOf(job, new Error('the worker stopped while running it'));
      logger.warn({ job: { id: job.id, kind: job.kind, status: job.status } }, `job lease lapsed: ${outcome.status}`);
      await settle(job, handler, parsed.success ? parsed.data : undefined, outcome);
    }
  };

  const pass = async (): Promise<number> => {
    let ran = 0;
    for (const handler of handlers) await handler.feed?.();
    await sweepLapsed();
    while (!stopped) {
      const leaseToken = randomUUID();
      const batch = await withPlatform(db, system, (tx) =>
        // One at a time: a stopping worker never holds claimed jobs it has not started.
        claimJobs(tx, { kinds, limit: 1, leaseToken, leaseMs }),
      );
      const [job] = batch;
      if (!job) break;
      await runJob(job);
      ran += 1;
    }
    if (Date.now() - lastCleanup > HOUR_MS) {
      lastCleanup = Date.now();
      await withPlatform(db, system, (tx) => deleteFinishedJobs(tx, keepFinishedMs));
    }
    return ran;
  };

  const runDue = async (): Promise<number> => {
    // One pass at a time per process; a second caller waits for it and then makes its own.
    while (running) await running.catch(() => 0);
    running = pass();
    try {
      return await running;
    } finally {
      running = null;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    runDue()
      .catch((error: unknown) => logger.error({ err: error }, 'job worker pass failed; the next one tries again'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs ?? 1000).unref();
      });
  };
  if (options.start !== false) timer = setTimeout(tick, options.pollMs ?? 1000).unref();

  return {
    runDue,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}
