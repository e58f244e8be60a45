/**
 * A task update's cost by the way it is sent, on PostgreSQL (demo data in a fresh database),
 * interleaved in one run:
 * - one trip: tasks/update-in-one-trip.ts, checks, update, read-back, live event and webhook
 *   enqueue in one pipeline (what `PATCH …/tasks/{id}` sends when the update tells no one);
 * - ordinary: the membership check (`scopedCall`), then the ordinary `updateTask` transaction,
 *   what the route sent before and still sends for an update that tells someone.
 * The ratio is the median of paired per-round ratios, ordinary over one trip.
 * `--status`: each update changes the status instead of the title, which tells the task's
 * watchers (two besides the actor), in the pipeline on the one-trip path.
 * `--by-ref`: both paths name the task by its reference (ACME-7), which each statement of the one
 * trip resolves in SQL; a third series, the one trip by id, gives by reference / by id.
 *
 *   npx tsx bench/task-update.ts [--seconds 20] [--status] [--by-ref] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { scopedCall } from '../src/features/shared/service-call.js';
import { updateTask } from '../src/features/tasks/service.js';
import { updateTaskInOneTrip } from '../src/features/tasks/update-in-one-trip.js';
import { seedDemo } from '../src/seed/demo.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { byRefAgainstById, demoOrg, oneTripAgainstOrdinary } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';


const DATABASE = 'tenantry_bench_task_update';

export async function runTaskUpdateBench(flags: Pick<BenchFlags, 'seconds' | 'keep' | 'status' | 'byRef'>) {
  const { db } = await freshDatabase(DATABASE);
  try {
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    const { organizationId, taskId, taskRef, ownerId } = await demoOrg(db, 'acme');
    const named = flags.byRef ? taskRef : taskId;
    const claimed = { db, claim: { organizationId, userId: ownerId }, requestId: `bench:${randomUUID()}` };
    let n = 0;
    if (flags.status) {
      await db.query(
        `insert into task_watchers (organization_id, task_id, user_id)
         select $1, $2, m.user_id from members m where m.organization_id = $1 and m.user_id <> $3 order by m.user_id limit 2
         on conflict do nothing`,
        [organizationId, taskId, ownerId],
      );
    }
    // With --status every update changes it (the two paths alternate on one task), so each tells.
    const change = () => (flags.status ? { status: ++n % 2 === 0 ? ('todo' as const) : ('in_progress' as const) } : { title: `Bench update ${++n}`, storyPoints: n % 13 });
    const { samples, rounds } = await interleave(
      [
        { name: 'oneTrip', run: async () => ({ ms: await timed(async () => { if (!(await updateTaskInOneTrip(claimed, named, change()))) throw new Error('refused'); }) }) },
        { name: 'ordinary', run: async () => ({ ms: await timed(async () => { await updateTask(await scopedCall(claimed), named, change()); }) }) },
        ...(flags.byRef
          ? [{ name: 'oneTripById', run: async () => ({ ms: await timed(async () => { if (!(await updateTaskInOneTrip(claimed, taskId, change()))) throw new Error('refused'); }) }) }]
          : []),
      ],
      { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
    );
    const byRef = flags.byRef ? byRefAgainstById(samples, 'oneTrip', 'oneTripById') : undefined;
    const result = { rounds, ...oneTripAgainstOrdinary(samples, 'oneTrip', 'ordinary'), ...byRef };
    const title = `Task update${flags.status ? ' (status change)' : ''}${flags.byRef ? ', named by reference' : ''}`;
    printTable(`${title}: one round trip against the ordinary path (paired, one run)`, [
      ['rounds', 'one trip (ms)', 'ordinary (ms)', 'ordinary / one trip', ...(flags.byRef ? ['one trip by id (ms)', 'by reference / by id'] : [])],
      [result.rounds, result.oneTripMedianMs, result.ordinaryMedianMs, result.ordinaryOverOneTrip, ...(byRef ? [byRef.byIdMedianMs, byRef.byRefOverById] : [])],
    ]);
    log(`wrote ${await writeResult(`task-update${flags.status ? '-status' : ''}${flags.byRef ? '-by-ref' : ''}`, result)}`);
    return result;
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

if (isMain(import.meta.url)) runMain(() => runTaskUpdateBench(parseFlags()));
