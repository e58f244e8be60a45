/**
 * A comment create's cost by the way it is sent, on PostgreSQL (demo data in a fresh database),
 * interleaved in one run, on a task two members watch (so each comment tells one of them):
 * - one trip: comments/create-in-one-trip.ts, check, insert, watch, the watchers' notification,
 *   read-back recording the webhook event and live event in one pipeline (what `POST
 *   …/tasks/{id}/comments` sends when the body mentions no one);
 * - ordinary: the membership check (`scopedCall`), then the ordinary `createComment`
 *   transaction, what the route sent before and still sends for a mention.
 * The ratio is the median of paired per-round ratios, ordinary over one trip.
 * `--by-ref`: both paths name the task by its reference (ACME-7), which each statement of the one
 * trip resolves in SQL; a third series, the one trip by id, gives by reference / by id.
 *
 *   npx tsx bench/comment-create.ts [--seconds 20] [--by-ref] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { createCommentInOneTrip } from '../src/features/comments/create-in-one-trip.js';
import { createComment } from '../src/features/comments/service.js';
import { scopedCall } from '../src/features/shared/service-call.js';
import { seedDemo } from '../src/seed/demo.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { byRefAgainstById, demoOrg, oneTripAgainstOrdinary } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';

const DATABASE = 'tenantry_bench_comment_create';

export async function runCommentCreateBench(flags: Pick<BenchFlags, 'seconds' | 'keep' | 'byRef'>) {
  const { db } = await freshDatabase(DATABASE);
  try {
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    const { organizationId, taskId, taskRef, ownerId, memberId } = await demoOrg(db, 'acme');
    const named = flags.byRef ? taskRef : taskId;
    await db.query(`insert into task_watchers (organization_id, task_id, user_id) values ($1, $2, $3), ($1, $2, $4) on conflict do nothing`, [organizationId, taskId, ownerId, memberId]);
    const claimed = { db, claim: { organizationId, userId: ownerId }, requestId: `bench:${randomUUID()}` };
    let n = 0;
    const input = () => ({ body: `Bench comment ${++n}, no mention` });
    const { samples, rounds } = await interleave(
      [
        { name: 'oneTrip', run: async () => ({ ms: await timed(async () => { if (!(await createCommentInOneTrip(claimed, named, input()))) throw new Error('refused'); }) }) },
        { name: 'ordinary', run: async () => ({ ms: await timed(async () => { await createComment(await scopedCall(claimed), named, input()); }) }) },
        ...(flags.byRef
          ? [{ name: 'oneTripById', run: async () => ({ ms: await timed(async () => { if (!(await createCommentInOneTrip(claimed, taskId, input()))) throw new Error('refused'); }) }) }]
          : []),
      ],
      { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
    );
    const byRef = flags.byRef ? byRefAgainstById(samples, 'oneTrip', 'oneTripById') : undefined;
    const result = { rounds, ...oneTripAgainstOrdinary(samples, 'oneTrip', 'ordinary'), ...byRef };
    printTable(`Comment create${flags.byRef ? ', task named by reference' : ''}: one round trip against the ordinary path (paired, one run)`, [
      ['rounds', 'one trip (ms)', 'ordinary (ms)', 'ordinary / one trip', ...(flags.byRef ? ['one trip by id (ms)', 'by reference / by id'] : [])],
      [result.rounds, result.oneTripMedianMs, result.ordinaryMedianMs, result.ordinaryOverOneTrip, ...(byRef ? [byRef.byIdMedianMs, byRef.byRefOverById] : [])],
    ]);
    log(`wrote ${await writeResult(flags.byRef ? 'comment-create-by-ref' : 'comment-create', result)}`);
    return result;
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

if (isMain(import.meta.url)) runMain(() => runCommentCreateBench(parseFlags()));
