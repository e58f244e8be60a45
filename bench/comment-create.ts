/**
 * A comment create's cost by the way it is sent, on PostgreSQL (demo data in a fresh database),
 * interleaved in one run, on a task two members watch (so each comment tells one of them):
 * - one trip: comments/create-in-one-trip.ts, check, insert, watch, the watchers' notification,
 *   read-back recording the webhook event and live event in one pipeline (what `POST
 *   …/tasks/{id}/comments` sends when the body mentions no one);
 * - ordinary: the membership check (`scopedCall`), then the ordinary `createComment`
 *   transaction, what the route sent before and still sends for a reference or a mention.
 * The ratio is the median of paired per-round ratios, ordinary over one trip.
 *
 *   npx tsx bench/comment-create.ts [--seconds 20] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { createCommentInOneTrip } from '../src/features/comments/create-in-one-trip.js';
import { createComment } from '../src/features/comments/service.js';
import { scopedCall } from '../src/features/shared/service-call.js';
import { seedDemo } from '../src/seed/demo.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { demoOrg, oneTripAgainstOrdinary } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';

const DATABASE = 'tenantry_bench_comment_create';

export async function runCommentCreateBench(flags: Pick<BenchFlags, 'seconds' | 'keep'>) {
  const { db } = await freshDatabase(DATABASE);
  try {
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    const { organizationId, taskId, ownerId, memberId } = await demoOrg(db, 'acme');
    await db.query(`insert into task_watchers (organization_id, task_id, user_id) values ($1, $2, $3), ($1, $2, $4) on conflict do nothing`, [organizationId, taskId, ownerId, memberId]);
    const claimed = { db, claim: { organizationId, userId: ownerId }, requestId: `bench:${randomUUID()}` };
    let n = 0;
    const input = () => ({ body: `Bench comment ${++n}, no mention` });
    const { samples, rounds } = await interleave(
      [
        { name: 'oneTrip', run: async () => ({ ms: await timed(async () => { if (!(await createCommentInOneTrip(claimed, taskId, input()))) throw new Error('refused'); }) }) },
        { name: 'ordinary', run: async () => ({ ms: await timed(async () => { await createComment(await scopedCall(claimed), taskId, input()); }) }) },
      ],
      { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
    );
    const result = { rounds, ...oneTripAgainstOrdinary(samples, 'oneTrip', 'ordinary') };
    printTable('Comment create: one round trip against the ordinary path (paired, one run)', [
      ['rounds', 'one trip (ms)', 'ordinary (ms)', 'ordinary / one trip'],
      [result.rounds, result.oneTripMedianMs, result.ordinaryMedianMs, result.ordinaryOverOneTrip],
    ]);
    log(`wrote ${await writeResult('comment-create', result)}`);
    return result;
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

if (isMain(import.meta.url)) runMain(() => runCommentCreateBench(parseFlags()));
