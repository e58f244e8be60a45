/**
 * Webhook delivery's cost on the write path it hangs off, on PostgreSQL (demo data in a fresh
 * database), measured twice: acme with no subscription to task.created, then with one:
 *
 * - base: the task-create transaction (project, references, insert), no after-steps;
 * - base + enqueue: the same transaction plus announceWebhookEvent, the step createTask runs
 *   for webhooks (find the subscribers, insert a delivery and its job);
 * - full createTask as the server runs it (notifications, live events and webhooks), for scale.
 *
 * Interleaved rounds in one run; the ratio is the median of paired per-round ratios of
 * base + enqueue over base. Sending is not on the write path (the job queue does it later).
 *
 *   npx tsx bench/webhooks.ts [--seconds 20] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { type ServiceCall, inTenant } from '../src/features/shared/service-call.js';
import * as taskRepository from '../src/features/tasks/repository.js';
import { createTask } from '../src/features/tasks/service.js';
import { announceWebhookEvent, createWebhook } from '../src/features/webhooks/service.js';
import { seedDemo } from '../src/seed/demo.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { median, pairedRatio, round } from './support/stats.js';

const DATABASE = 'tenantry_bench_webhooks';

export async function runWebhooksBench(flags: { seconds: number; keep: boolean }) {
  const { db } = await freshDatabase(DATABASE);
  try {
    const masterKey = generateMasterKey();
    await seedDemo(db, { production: false, masterKey });
    const [acme] = await db.query<{ organization_id: string; project_id: string; owner_id: string }>(
      `select o.id as organization_id, p.id as project_id, m.user_id as owner_id
         from organizations o join projects p on p.organization_id = o.id and p.deleted_at is null
         join members m on m.organization_id = o.id and m.role = 'owner'
        where o.slug = 'acme' order by p.key limit 1`,
    );
    if (!acme) throw new Error('demo organization acme not found');
    const { organization_id: organizationId, project_id: projectId, owner_id: ownerId } = acme;
    const owner: ServiceCall = { db, scope: { organizationId, userId: ownerId, role: 'owner' }, requestId: `bench:${randomUUID()}` };
    let n = 0;
    const input = () => ({ title: `Bench task ${++n}`, description: 'Benchmark row', status: 'todo' as const, priority: 'medium' as const, type: 'task' as const });
    const base = (withEnqueue: boolean) =>
      inTenant(owner, async (tx) => {
        const project = await taskRepository.findProject(tx, organizationId, projectId);
        if (!project) throw new Error('no project');
        await taskRepository.existingReferences(tx, organizationId, project.id, { epicIds: [], sprintIds: [], assigneeIds: [] });
        const created = await taskRepository.insertTasks(tx, organizationId, project.id, ownerId, [input()]);
        if (withEnqueue) await announceWebhookEvent(tx, organizationId, 'task.created', created);
      });
    const measure = async (label: string) => {
      const { samples, rounds } = await interleave(
        [
          { name: 'base', run: async () => ({ ms: await timed(() => base(false)) }) },
          { name: 'enqueue', run: async () => ({ ms: await timed(() => base(true)) }) },
          { name: 'full', run: async () => ({ ms: await timed(() => createTask(owner, projectId, input())) }) },
        ],
        { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
      );
      const baseMs = samples.base?.ms ?? [];
      const enqueueMs = samples.enqueue?.ms ?? [];
      return {
        case: label,
        rounds,
        baseMedianMs: round(median(baseMs)),
        enqueueMedianMs: round(median(enqueueMs)),
        fullCreateTaskMedianMs: round(median(samples.full?.ms ?? [])),
        ratio: round(pairedRatio(enqueueMs, baseMs)),
      };
    };
    // First with no subscription to task.created (the demo one listens for other events),
    // then with one, which makes every task create queue a delivery and its job.
    const unsubscribed = await measure('no matching subscription');
    await createWebhook(owner, masterKey, { url: 'https://hooks.bench.example/tenantry', events: ['task.created'] });
    const subscribed = await measure('one matching subscription');
    const [queued] = await db.query<{ n: number }>(`select count(*)::int as n from webhook_deliveries where organization_id = $1`, [organizationId]);
    const result = { cases: [unsubscribed, subscribed], deliveriesQueued: queued?.n ?? 0 };
    printTable('Task create: with the webhook enqueue / without (paired, one run per case)', [
      ['case', 'rounds', 'base (median ms)', 'base + enqueue (median ms)', 'paired ratio', 'full createTask (median ms)'],
      ...result.cases.map((c) => [c.case, c.rounds, c.baseMedianMs, c.enqueueMedianMs, c.ratio, c.fullCreateTaskMedianMs]),
    ]);
    log(`wrote ${await writeResult('webhooks', result)}`);
    return result;
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 20);
runWebhooksBench({ seconds: args.includes('--seconds') && Number.isFinite(seconds) ? seconds : 20, keep: args.includes('--keep') }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
