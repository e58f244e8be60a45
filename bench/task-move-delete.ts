/**
 * A task move and a task delete by the way each is sent, on PostgreSQL (demo data in a fresh
 * database), interleaved in one run:
 * - one trip: tasks/move-in-one-trip.ts (checks, the order lock, the key from app.key_between,
 *   the read-back, live event and webhook enqueue in one pipeline) or tasks/delete-in-one-trip.ts
 *   (checks, soft delete, live event, webhook enqueue), what `POST …/tasks/{id}/move` and
 *   `DELETE …/tasks/{id}` send;
 * - ordinary: the membership check (`scopedCall`), then the ordinary `moveTask` or `deleteTask`
 *   transaction, what the routes sent before and still send for a task named by reference.
 * A move places a task right after one of two other tasks of its project, in turn, so every
 * move changes its position. A delete takes a task made for it beforehand.
 * The ratio is the median of paired per-round ratios, ordinary over one trip.
 *
 *   npx tsx bench/task-move-delete.ts [--seconds 20] [--delete] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { scopedCall } from '../src/features/shared/service-call.js';
import { deleteTaskInOneTrip } from '../src/features/tasks/delete-in-one-trip.js';
import { moveTaskInOneTrip } from '../src/features/tasks/move-in-one-trip.js';
import { deleteTask, moveTask } from '../src/features/tasks/service.js';
import { seedDemo } from '../src/seed/demo.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { demoOrg, oneTripAgainstOrdinary } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';

const DATABASE = 'tenantry_bench_task_move_delete';
const WARMUP_ROUNDS = 20;
const MAX_ROUNDS = 2_000;

export async function runTaskMoveDeleteBench(flags: Pick<BenchFlags, 'seconds' | 'keep' | 'delete'>) {
  const { db } = await freshDatabase(DATABASE);
  try {
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    const { organizationId, projectId, ownerId } = await demoOrg(db, 'acme');
    const claimed = { db, claim: { organizationId, userId: ownerId }, requestId: `bench:${randomUUID()}` };
    // Tasks of one project: for a move, the one moved and the two it lands after in turn; for a
    // delete, one per round and path.
    const made = await db.query<{ id: string }>(
      `insert into tasks (organization_id, project_id, title, created_by_id)
       select $1, $2, 'bench ' || g, $3 from generate_series(1, $4::int) g returning id::text`,
      [organizationId, projectId, ownerId, flags.delete ? 2 * (WARMUP_ROUNDS + MAX_ROUNDS) : 3],
    );
    const ids = made.map((row) => row.id);
    const moved = ids[2] ?? '';
    let n = 0;
    const oneTrip = flags.delete
      ? async () => { if (!(await deleteTaskInOneTrip(claimed, ids[n++] ?? ''))) throw new Error('refused'); }
      : async () => { if (!(await moveTaskInOneTrip(claimed, moved, { afterId: ids[n++ % 2] ?? null }))) throw new Error('refused'); };
    const ordinary = flags.delete
      ? async () => { await deleteTask(await scopedCall(claimed), ids[n++] ?? ''); }
      : async () => { await moveTask(await scopedCall(claimed), moved, { afterId: ids[n++ % 2] ?? null }); };
    const { samples, rounds } = await interleave(
      [
        { name: 'oneTrip', run: async () => ({ ms: await timed(oneTrip) }) },
        { name: 'ordinary', run: async () => ({ ms: await timed(ordinary) }) },
      ],
      { warmupRounds: WARMUP_ROUNDS, maxRounds: MAX_ROUNDS, maxSeconds: flags.seconds },
    );
    const result = { rounds, ...oneTripAgainstOrdinary(samples, 'oneTrip', 'ordinary') };
    printTable(`Task ${flags.delete ? 'delete' : 'move'}: one round trip against the ordinary path (paired, one run)`, [
      ['rounds', 'one trip (ms)', 'ordinary (ms)', 'ordinary / one trip'],
      [result.rounds, result.oneTripMedianMs, result.ordinaryMedianMs, result.ordinaryOverOneTrip],
    ]);
    log(`wrote ${await writeResult(flags.delete ? 'task-delete' : 'task-move', result)}`);
    return result;
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

if (isMain(import.meta.url)) runMain(() => runTaskMoveDeleteBench(parseFlags()));
