/**
 * Notifications and live events on the write path, on PostgreSQL (the demo data in a fresh
 * database):
 *
 * 1. Creating a task (assigned to a member, so a notification, a watch pair and live events are
 *    written) through the task service as the server runs it, against the same transaction
 *    without the notification and live event step, with 50 live-event subscribers listening.
 *    Interleaved rounds; the ratio is the median of paired per-round ratios.
 * 2. A storm: one task of acme watched by 1,000 members; comments on it, one after another,
 *    each fanning out to 1,000 notifications in one INSERT … SELECT. Meanwhile globex reads its
 *    tasks in a loop; its p95 during the storm is compared with its p95 without one.
 *
 *   npx tsx bench/notifications.ts [--seconds 20] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import type { Database } from '../src/db/connection.js';
import { createComment } from '../src/features/comments/service.js';
import { createLiveHub } from '../src/features/live-events/hub.js';
import type { ServiceCall } from '../src/features/shared/service-call.js';
import { inTenant } from '../src/features/shared/service-call.js';
import * as taskRepository from '../src/features/tasks/repository.js';
import { createTask, listTasks } from '../src/features/tasks/service.js';
import { seedDemo } from '../src/seed/demo.js';
import { isMain, parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { type DemoOrg, demoOrg } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { median, pairedRatio, round, summarize } from './support/stats.js';

const DATABASE = 'tenantry_bench_notifications';
const WATCHERS = 1_000;
const SUBSCRIBERS = 50;

const callAs = (db: Database, org: DemoOrg, userId: string): ServiceCall => ({
  db,
  scope: { organizationId: org.organizationId, userId, role: 'owner' },
  requestId: `bench:${randomUUID()}`,
});

export async function runNotificationsBench(flags: { seconds: number; keep: boolean }) {
  const { db } = await freshDatabase(DATABASE);
  const hub = createLiveHub(db);
  try {
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    const acme = await demoOrg(db, 'acme');
    const globex = await demoOrg(db, 'globex');
    const owner = callAs(db, acme, acme.ownerId);

    // 1. The write path, with live subscribers listening in this process.
    const unsubscribe = await Promise.all(
      Array.from({ length: SUBSCRIBERS }, () => hub.subscribe(acme.organizationId, { deliver: () => undefined, closed: () => undefined })),
    );
    let n = 0;
    const input = () => ({ title: `Bench task ${++n}`, assigneeId: acme.memberId, description: 'Benchmark row', status: 'todo' as const, priority: 'medium' as const, type: 'task' as const });
    const { samples, rounds } = await interleave(
      [
        { name: 'with', run: async () => ({ ms: await timed(() => createTask(owner, acme.projectId, input())) }) },
        {
          name: 'without',
          // The same transaction and statements as createTask, minus notifications and live events.
          run: async () => ({
            ms: await timed(() =>
              inTenant(owner, async (tx) => {
                const project = await taskRepository.findProject(tx, acme.organizationId, acme.projectId);
                if (!project) throw new Error('no project');
                await taskRepository.existingReferences(tx, acme.organizationId, project.id, { epicIds: [], sprintIds: [], assigneeIds: [acme.memberId] });
                return taskRepository.insertTasks(tx, acme.organizationId, project.id, acme.ownerId, [input()]);
              }),
            ),
          }),
        },
      ],
      { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
    );
    for (const stop of unsubscribe) stop();
    const withMs = samples.with?.ms ?? [];
    const withoutMs = samples.without?.ms ?? [];
    const writePath = {
      rounds,
      subscribers: SUBSCRIBERS,
      withMedianMs: round(median(withMs)),
      withoutMedianMs: round(median(withoutMs)),
      ratio: round(pairedRatio(withMs, withoutMs)),
    };

    // 2. The storm: 1,000 extra members of acme watch one task.
    await db.query(
      `with people as (
         insert into users (id, name, email) select gen_random_uuid(), 'Watcher ' || g, 'watcher' || g || '@bench.example' from generate_series(1, ${WATCHERS}) g
         returning id)
       insert into members (organization_id, user_id, role) select $1, id, 'member' from people`,
      [acme.organizationId],
    );
    const stormTask = await createTask(owner, acme.projectId, { title: 'Storm centre', status: 'todo', priority: 'medium', type: 'task' });
    await db.query(
      `insert into task_watchers (organization_id, task_id, user_id)
       select $1, $2, user_id from members where organization_id = $1 and user_id <> $3 on conflict do nothing`,
      [acme.organizationId, stormTask.id, acme.ownerId],
    );
    const reader = { db, claim: { organizationId: globex.organizationId, userId: globex.ownerId }, requestId: 'bench:reader' };
    const readFilter: Parameters<typeof listTasks>[2] = { sort: 'position', limit: 50 };
    const readFor = async (ms: number) => {
      const latencies: number[] = [];
      const until = performance.now() + ms;
      while (performance.now() < until) latencies.push(await timed(() => listTasks(reader, globex.projectId, readFilter)));
      return latencies;
    };
    for (let i = 0; i < 50; i++) await listTasks(reader, globex.projectId, readFilter);
    const phaseMs = (flags.seconds * 1000) / 2;
    const quiet = await readFor(phaseMs);
    let storming = true;
    const commentMs: number[] = [];
    const storm = (async () => {
      while (storming) commentMs.push(await timed(() => createComment(owner, stormTask.id, { body: 'Storm comment' })));
    })();
    const during = await readFor(phaseMs);
    storming = false;
    await storm;
    const [told] = await db.query<{ n: number }>(`select count(*)::int as n from notifications where task_id = $1`, [stormTask.id]);
    const quietSummary = summarize(quiet);
    const duringSummary = summarize(during);
    const stormResult = {
      watchers: WATCHERS,
      comments: commentMs.length,
      notificationsWritten: told?.n ?? 0,
      commentMedianMs: round(median(commentMs)),
      otherTenantReads: { quiet: quiet.length, during: during.length },
      otherTenantP50Ms: { quiet: round(quietSummary.p50), during: round(duringSummary.p50) },
      otherTenantP95Ms: { quiet: round(quietSummary.p95), during: round(duringSummary.p95) },
      p95Ratio: round(duringSummary.p95 / quietSummary.p95),
    };

    printTable('Task create: with notifications and live events / without', [
      ['rounds', 'with (median ms)', 'without (median ms)', 'paired ratio'],
      [writePath.rounds, writePath.withMedianMs, writePath.withoutMedianMs, writePath.ratio],
    ]);
    printTable(`Storm: ${WATCHERS} watchers, comments back to back; globex lists tasks meanwhile`, [
      ['comments', 'notifications', 'comment median ms', 'globex p95 quiet', 'globex p95 storm', 'p95 ratio'],
      [stormResult.comments, stormResult.notificationsWritten, stormResult.commentMedianMs, stormResult.otherTenantP95Ms.quiet, stormResult.otherTenantP95Ms.during, stormResult.p95Ratio],
    ]);
    const file = await writeResult('notifications', { writePath, storm: stormResult });
    log(`wrote ${file}`);
    return { writePath, storm: stormResult };
  } finally {
    await hub.close();
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => runNotificationsBench(parseFlags()));
}
