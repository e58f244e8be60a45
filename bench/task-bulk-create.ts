/**
 * A bulk task create's cost by the way it is sent, on PostgreSQL (demo data in a fresh
 * database), interleaved in one run, for batches of 10 and of 100 tasks:
 * - one trip: tasks/create-in-one-trip.ts, checks, multi-row insert, read-back recording the
 *   webhook events, watches and live events in one pipeline (what `POST …/tasks/bulk` sends
 *   when no item tells anyone);
 * - ordinary: the membership check (`scopedCall`), then the ordinary `bulkCreateTasks`
 *   transaction, what the route sent before and still sends when an item tells someone.
 * Each ratio is the median of paired per-round ratios, ordinary over one trip.
 *
 *   npx tsx bench/task-bulk-create.ts [--seconds 20] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { scopedCall } from '../src/features/shared/service-call.js';
import { createTasksInOneTrip } from '../src/features/tasks/create-in-one-trip.js';
import { bulkCreateTasks } from '../src/features/tasks/service.js';
import { seedDemo } from '../src/seed/demo.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { demoOrg, oneTripAgainstOrdinary } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';


const DATABASE = 'tenantry_bench_task_bulk_create';
const SIZES = [10, 100];

export async function runTaskBulkCreateBench(flags: Pick<BenchFlags, 'seconds' | 'keep'>) {
  const { db } = await freshDatabase(DATABASE);
  try {
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    const { organizationId, projectId, ownerId } = await demoOrg(db, 'acme');
    // Rounds create thousands of tasks: no plan limit in the way.
    await db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    await db.query(`insert into subscriptions (organization_id, plan_id, status) select $1, id, 'active' from subscription_plans where code = 'enterprise'`, [organizationId]);
    const claimed = { db, claim: { organizationId, userId: ownerId }, requestId: `bench:${randomUUID()}` };
    let n = 0;
    const batch = (size: number) => Array.from({ length: size }, () => ({ title: `Bench task ${++n}`, description: 'Benchmark row', priority: 'medium' as const }));
    const { samples, rounds } = await interleave(
      SIZES.flatMap((size) => [
        { name: `oneTrip${size}`, run: async () => ({ ms: await timed(async () => { if (!(await createTasksInOneTrip(claimed, projectId, batch(size)))) throw new Error('refused'); }) }) },
        { name: `ordinary${size}`, run: async () => ({ ms: await timed(async () => { await bulkCreateTasks(await scopedCall(claimed), projectId, batch(size)); }) }) },
      ]),
      { warmupRounds: 10, maxRounds: 1_000, maxSeconds: flags.seconds },
    );
    const bySize = SIZES.map((size) => ({ size, ...oneTripAgainstOrdinary(samples, `oneTrip${size}`, `ordinary${size}`) }));
    printTable(`Bulk task create: one round trip against the ordinary path (paired, one run, ${rounds} rounds)`, [
      ['tasks per batch', 'one trip (ms)', 'ordinary (ms)', 'ordinary / one trip'],
      ...bySize.map((row) => [row.size, row.oneTripMedianMs, row.ordinaryMedianMs, row.ordinaryOverOneTrip]),
    ]);
    log(`wrote ${await writeResult('task-bulk-create', { rounds, bySize })}`);
    return { rounds, bySize };
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

if (isMain(import.meta.url)) runMain(() => runTaskBulkCreateBench(parseFlags()));
