/**
 * Webhook delivery's cost on the write path it hangs off, on PostgreSQL (demo data in a fresh
 * database), measured twice: acme with no subscription to task.created, then with one.
 *
 * The create as the server runs it (tasks/create-in-one-trip.ts, one round trip):
 * - one trip: its pipeline without the deliveries' statement;
 * - one trip + enqueue: the whole pipeline, deliveries and their jobs in one more statement.
 * The ordinary (several round trips) create, still taken by creates that tell someone:
 * - base: the task-create transaction (project, references, insert), no after-steps;
 * - base + enqueue: the same plus announceWebhookEvent (one statement: deliveries and jobs);
 * - full ordinary createTask (checks, notifications, live events and webhooks), for scale.
 *
 * Interleaved rounds in one run; each ratio is the median of paired per-round ratios of
 * the "+ enqueue" variant over its base. Sending is not on the write path (the job queue does it later).
 *
 *   npx tsx bench/webhooks.ts [--seconds 20] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { type ServiceCall, inTenant } from '../src/features/shared/service-call.js';
import * as taskRepository from '../src/features/tasks/repository.js';
import { withTenantPipeline } from '../src/db/tenant-context.js';
import { createTaskStatements } from '../src/features/tasks/create-in-one-trip.js';
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
    const claimed = { db, claim: { organizationId, userId: ownerId }, requestId: owner.requestId };
    const oneTrip = async (webhooks: boolean) => {
      const { statements, read } = createTaskStatements(claimed, projectId, input(), { webhooks });
      if (!read(await withTenantPipeline(db, { ...claimed.claim, requestId: claimed.requestId }, statements))) throw new Error('not created');
    };
    const measure = async (label: string) => {
      const { samples, rounds } = await interleave(
        [
          { name: 'oneTrip', run: async () => ({ ms: await timed(() => oneTrip(false)) }) },
          { name: 'oneTripEnqueue', run: async () => ({ ms: await timed(() => oneTrip(true)) }) },
          { name: 'base', run: async () => ({ ms: await timed(() => base(false)) }) },
          { name: 'enqueue', run: async () => ({ ms: await timed(() => base(true)) }) },
          { name: 'full', run: async () => ({ ms: await timed(() => createTask(owner, projectId, input())) }) },
        ],
        { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
      );
      const ms = (name: string) => samples[name]?.ms ?? [];
      return {
        case: label,
        rounds,
        oneTripMedianMs: round(median(ms('oneTrip'))),
        oneTripEnqueueMedianMs: round(median(ms('oneTripEnqueue'))),
        oneTripRatio: round(pairedRatio(ms('oneTripEnqueue'), ms('oneTrip'))),
        baseMedianMs: round(median(ms('base'))),
        enqueueMedianMs: round(median(ms('enqueue'))),
        ratio: round(pairedRatio(ms('enqueue'), ms('base'))),
        fullCreateTaskMedianMs: round(median(ms('full'))),
        ordinaryOverOneTrip: round(pairedRatio(ms('full'), ms('oneTripEnqueue'))),
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
      ['case', 'rounds', 'one trip (ms)', 'one trip + enqueue (ms)', 'one-trip ratio', 'ordinary base (ms)', 'base + enqueue (ms)', 'ordinary ratio', 'full ordinary createTask (ms)', 'full ordinary / one trip'],
      ...result.cases.map((c) => [c.case, c.rounds, c.oneTripMedianMs, c.oneTripEnqueueMedianMs, c.oneTripRatio, c.baseMedianMs, c.enqueueMedianMs, c.ratio, c.fullCreateTaskMedianMs, c.ordinaryOverOneTrip]),
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
