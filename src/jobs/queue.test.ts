import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { engine } from '../../test/support/database.js';
import { useMigratedTestDatabase } from '../../test/support/migrated-database.js';
import { withPlatform } from '../db/tenant-context.js';
import { type JobHandler, PermanentJobError, enqueueJob } from './queue.js';
import { startJobWorker } from './worker.js';

const logger = pino({ level: 'silent' });
const Payload = z.object({ n: z.number() });
type Payload = z.infer<typeof Payload>;

describe('job queue', () => {
  const test = useMigratedTestDatabase();

  let kinds = 0;
  /** A fresh kind per test, so one test's jobs never reach another's worker. */
  const handler = (run: JobHandler<Payload>['run'], extra: Partial<JobHandler<Payload>> = {}): JobHandler<Payload> => ({
    kind: `test.job-${(kinds += 1)}`,
    payload: Payload,
    run,
    ...extra,
  });
  const enqueue = (kind: string, n: number, maxAttempts?: number) =>
    withPlatform(test.db, {}, (tx) => enqueueJob(tx, { kind, payload: { n }, ...(maxAttempts ? { maxAttempts } : {}) }));
  const jobRow = async (id: string) =>
    (
      await test.db.query<{ status: string; attempts: number; last_error: string | null; delay_ms: number }>(
        `select status, attempts, last_error, extract(epoch from run_at - updated_at) * 1000 as delay_ms from jobs where id = $1`,
        [id],
      )
    )[0];
  /** Makes every queued job of a kind due now, instead of waiting out its backoff. */
  const makeDue = (kind: string) => test.db.query(`update jobs set run_at = now() where kind = $1 and status = 'queued'`, [kind]);

  it('runs a committed job once, and never one whose transaction rolled back', async () => {
    const seen: number[] = [];
    const h = handler(({ n }) => Promise.resolve(void seen.push(n)));
    const id = await enqueue(h.kind, 1);
    await withPlatform(test.db, {}, async (tx) => {
      await enqueueJob(tx, { kind: h.kind, payload: { n: 2 } });
      throw new Error('roll back');
    }).catch(() => undefined);
    const worker = startJobWorker(test.db, logger, [h], { start: false });
    expect(await worker.runDue()).toBe(1);
    expect(await worker.runDue()).toBe(0);
    expect(seen).toEqual([1]);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('retries a failing job with growing delays, then gives up after maxAttempts', async () => {
    let calls = 0;
    const h = handler(() => Promise.reject(new Error(`smtp down ${(calls += 1)}`)));
    const delays: number[] = [];
    const worker = startJobWorker(test.db, logger, [h], { start: false, retryDelayMs: (attempt) => 60_000 * 2 ** (attempt - 1) });
    const id = await enqueue(h.kind, 1, 3);

    await worker.runDue();
    delays.push((await jobRow(id))?.delay_ms ?? 0);
    // Not due yet: the backoff holds it back.
    expect(await worker.runDue()).toBe(0);
    await makeDue(h.kind);
    await worker.runDue();
    delays.push((await jobRow(id))?.delay_ms ?? 0);
    expect(await jobRow(id)).toMatchObject({ status: 'queued', attempts: 2, last_error: 'smtp down 2' });
    await makeDue(h.kind);
    await worker.runDue();

    expect(delays.map((d) => Math.round(d / 1000))).toEqual([60, 120]);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'smtp down 3' });
    await makeDue(h.kind);
    expect(await worker.runDue()).toBe(0);
    expect(calls).toBe(3);
  });

  it('fails at once on PermanentJobError, and succeeds on a later attempt after a passing error', async () => {
    let calls = 0;
    const permanent = handler(() => {
      calls += 1;
      return Promise.reject(new PermanentJobError('mailbox does not exist'));
    });
    const flaky = handler(() => ((calls += 1) === 2 ? Promise.reject(new Error('try later')) : Promise.resolve()));
    const worker = startJobWorker(test.db, logger, [permanent, flaky], { start: false, retryDelayMs: () => 0 });
    const gone = await enqueue(permanent.kind, 1);
    const later = await enqueue(flaky.kind, 1);
    await worker.runDue();
    await worker.runDue();
    expect(await jobRow(gone)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'mailbox does not exist' });
    expect(await jobRow(later)).toMatchObject({ status: 'done', attempts: 2 });
    expect(calls).toBe(3);
  });

  it('after a crash, retries a job that had not been handed off and never re-sends one that had', async () => {
    // The "crashed" worker: its handlers never return, like a process killed mid-job. Its lease
    // is short, so the survivor sees the lease lapse.
    const forever = new Promise<void>(() => undefined);
    const handedOff: number[] = [];
    const sent = handler(async ({ n }, ctx) => {
      await ctx.markSending();
      handedOff.push(n);
      await forever;
    });
    const notYet = handler(() => forever);
    const crashed = startJobWorker(test.db, logger, [sent, notYet], { start: false, leaseMs: 300 });
    const sentId = await enqueue(sent.kind, 1);
    const notYetId = await enqueue(notYet.kind, 2);
    // Each pass hangs inside its handler; the first stays stuck, so a second worker claims the other job.
    void crashed.runDue();
    const crashedToo = startJobWorker(test.db, logger, [sent, notYet], { start: false, leaseMs: 300 });
    void crashedToo.runDue();
    await expect.poll(async () => [(await jobRow(sentId))?.status, (await jobRow(notYetId))?.status], { timeout: 10_000 }).toEqual(['sending', 'running']);
    await new Promise((resolve) => setTimeout(resolve, 400));

    const reran: string[] = [];
    const survivor = startJobWorker(
      test.db,
      logger,
      [
        handler(() => Promise.resolve(void reran.push('sent')), { kind: sent.kind }),
        handler(() => Promise.resolve(void reran.push('notYet')), { kind: notYet.kind }),
      ],
      { start: false, retryDelayMs: () => 0 },
    );
    await survivor.runDue();
    expect(reran).toEqual(['notYet']);
    expect(handedOff).toEqual([1]);
    const notRetried: unknown = expect.stringContaining('not retried');
    expect(await jobRow(sentId)).toMatchObject({ status: 'failed', last_error: notRetried });
    expect(await jobRow(notYetId)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it.runIf(engine === 'postgres')('hands each job to exactly one of several workers on separate pools', async () => {
    const counts = new Map<number, number>();
    const h = handler(async ({ n }) => {
      counts.set(n, (counts.get(n) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    for (let n = 0; n < 40; n++) await enqueue(h.kind, n);
    const pools = await Promise.all([test.connectAgain(), test.connectAgain(), test.connectAgain()]);
    const workers = [test.db, ...pools].map((db) => startJobWorker(db, logger, [h], { start: false }));
    const ran = await Promise.all(workers.map((w) => w.runDue()));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(40);
    expect(ran.filter((r) => r > 0).length).toBeGreaterThan(1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(counts.size).toBe(40);
  });

  it('stops cleanly: waits for the job in hand and claims nothing after', async () => {
    let release: () => void = () => undefined;
    const started: number[] = [];
    const h = handler(async ({ n }) => {
      started.push(n);
      await new Promise<void>((resolve) => (release = resolve));
    });
    const first = await enqueue(h.kind, 1);
    const second = await enqueue(h.kind, 2);
    const worker = startJobWorker(test.db, logger, [h], { pollMs: 10 });
    await expect.poll(() => started.length, { timeout: 10_000 }).toBe(1);
    const stopping = worker.stop();
    release();
    await stopping;
    expect(started).toEqual([1]);
    expect(await jobRow(first)).toMatchObject({ status: 'done' });
    expect(await jobRow(second)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
