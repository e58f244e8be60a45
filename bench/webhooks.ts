/**
 * Webhook delivery's cost on the write path it hangs off, on PostgreSQL (demo data in a fresh
 * database): the task create with one subscriber to task.created against the same create with
 * none, the subscription switched on and off between the creates of every round (untimed), so
 * each ratio is paired within one run.
 *
 * - one trip: the create as the server runs it (tasks/create-in-one-trip.ts, one round trip,
 *   the task read for the answer recording the webhook event in the same statement), with
 *   none / with one subscriber;
 * - one trip, task read alone: the same pipeline with the plain read (no recording), for the
 *   recording's own cost with no subscriber;
 * - ordinary: the task-create transaction (project, references, insert) plus
 *   announceWebhookEvent, as creates that tell someone run it, with none / with one.
 *
 * The fan-out is not on the write path: the job worker's dispatcher turns each recorded event
 * into deliveries and jobs later. Its own cost is timed after the rounds, off the request path:
 * draining every event the rounds recorded (per event), one event alone by a look at every
 * organization, the idle pass (a look at every organization, what each worker pass ran before
 * the NOTIFY, against a dispatcher that heard nothing), and one event from its create's commit
 * to its delivery queued by a dispatcher woken by its NOTIFY.
 *
 * Each ratio is the median of paired per-round ratios.
 *
 *   npx tsx bench/webhooks.ts [--seconds 20] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { type ServiceCall, inTenant } from '../src/features/shared/service-call.js';
import * as taskRepository from '../src/features/tasks/repository.js';
import { withTenantPipeline } from '../src/db/tenant-context.js';
import { createTaskStatements } from '../src/features/tasks/create-in-one-trip.js';
import { dispatchWebhookEvents, startWebhookDispatcher } from '../src/features/webhooks/dispatcher.js';
import { announceWebhookEvent } from '../src/features/webhooks/service.js';
import { seedDemo } from '../src/seed/demo.js';
import { parseFlags, runMain } from './support/args.js';
import { dropBenchDatabase, freshDatabase } from './support/datasets.js';
import { demoOrg } from './support/demo-org.js';
import { interleave, timed } from './support/interleave.js';
import { log, printTable, writeResult } from './support/report.js';
import { median, pairedRatio, round } from './support/stats.js';

const DATABASE = 'tenantry_bench_webhooks';

export async function runWebhooksBench(flags: { seconds: number; keep: boolean }) {
  const { db } = await freshDatabase(DATABASE);
  try {
    const masterKey = generateMasterKey();
    await seedDemo(db, { production: false, masterKey });
    // The demo records one event for a deleted subscription per organization: dropped here, so
    // the count below is the rounds' own.
    await dispatchWebhookEvents(db);
    const { organizationId, projectId, ownerId } = await demoOrg(db, 'acme');
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
    // The demo's own subscription hears task.created too: off, so that "none" means none.
    await db.query(`update webhooks set status = 'disabled' where organization_id = $1`, [organizationId]);
    const [hook] = await db.query<{ id: string }>(
      `insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.bench.example/tenantry', array['task.created'], '\\x00') returning id`,
      [organizationId],
    );
    if (!hook) throw new Error('no subscription');
    const listening = (status: 'active' | 'disabled') => db.query(`update webhooks set status = $3 where organization_id = $1 and id = $2`, [organizationId, hook.id, status]);
    /** The only subscriber to task.created, when active. */
    const withSubscriber = (active: boolean, work: () => Promise<unknown>) => async () => {
      await listening(active ? 'active' : 'disabled');
      return { ms: await timed(work) };
    };
    const { samples, rounds } = await interleave(
      [
        { name: 'oneTripBare', run: withSubscriber(false, () => oneTrip(false)) },
        { name: 'oneTripNone', run: withSubscriber(false, () => oneTrip(true)) },
        { name: 'oneTripOne', run: withSubscriber(true, () => oneTrip(true)) },
        { name: 'ordinaryNone', run: withSubscriber(false, () => base(true)) },
        { name: 'ordinaryOne', run: withSubscriber(true, () => base(true)) },
      ],
      { warmupRounds: 20, maxRounds: 2_000, maxSeconds: flags.seconds },
    );
    const ms = (name: string) => samples[name]?.ms ?? [];
    const [recorded] = await db.query<{ n: number }>(`select count(*)::int as n from webhook_outbox where organization_id = $1`, [organizationId]);
    const events = recorded?.n ?? 0;
    const drainMs = await timed(() => dispatchWebhookEvents(db));
    // The fallback an hour away: this dispatcher looks only at what it hears.
    const dispatcher = startWebhookDispatcher(db, { fallbackMs: 3_600_000 });
    await dispatcher.ready;
    await dispatcher.dispatch();
    const idleScan: number[] = [];
    const idleHeard: number[] = [];
    for (let i = 0; i < 200; i++) {
      idleScan.push(await timed(() => dispatchWebhookEvents(db)));
      idleHeard.push(await timed(() => dispatcher.dispatch()));
    }
    await listening('active');
    const single: number[] = [];
    for (let i = 0; i < 50; i++) {
      await oneTrip(true);
      single.push(await timed(() => dispatchWebhookEvents(db)));
    }
    await dispatcher.dispatch();
    const woken: number[] = [];
    for (let i = 0; i < 50; i++) {
      await oneTrip(true);
      woken.push(
        await timed(async () => {
          const deadline = performance.now() + 5_000;
          while ((await dispatcher.dispatch()) === 0) {
            if (performance.now() > deadline) throw new Error('the NOTIFY was not heard within 5 s');
            await new Promise((resolve) => setImmediate(resolve));
          }
        }),
      );
    }
    await dispatcher.close();
    await listening('disabled');
    const [queued] = await db.query<{ n: number }>(`select count(*)::int as n from webhook_deliveries where organization_id = $1 and subscription_id = $2`, [organizationId, hook.id]);
    const result = {
      rounds,
      oneTripBareMedianMs: round(median(ms('oneTripBare'))),
      oneTripNoneMedianMs: round(median(ms('oneTripNone'))),
      oneTripOneMedianMs: round(median(ms('oneTripOne'))),
      oneTripRatio: round(pairedRatio(ms('oneTripOne'), ms('oneTripNone'))),
      oneTripStatementRatio: round(pairedRatio(ms('oneTripNone'), ms('oneTripBare'))),
      ordinaryNoneMedianMs: round(median(ms('ordinaryNone'))),
      ordinaryOneMedianMs: round(median(ms('ordinaryOne'))),
      ordinaryRatio: round(pairedRatio(ms('ordinaryOne'), ms('ordinaryNone'))),
      dispatcher: {
        events,
        drainMs: round(drainMs),
        msPerEvent: round(events > 0 ? drainMs / events : 0),
        singleEventMedianMs: round(median(single)),
        idleScanMedianMs: round(median(idleScan)),
        idleHeardNothingMedianMs: round(median(idleHeard)),
        wokenEventMedianMs: round(median(woken)),
      },
      deliveriesQueued: queued?.n ?? 0,
    };
    printTable('Task create: one subscriber to task.created / none (paired, one run)', [
      ['rounds', 'one trip, task read alone (ms)', 'one trip, none (ms)', 'one trip, one (ms)', 'one-trip ratio', 'recording ratio (none / read alone)', 'ordinary, none (ms)', 'ordinary, one (ms)', 'ordinary ratio'],
      [result.rounds, result.oneTripBareMedianMs, result.oneTripNoneMedianMs, result.oneTripOneMedianMs, result.oneTripRatio, result.oneTripStatementRatio, result.ordinaryNoneMedianMs, result.ordinaryOneMedianMs, result.ordinaryRatio],
    ]);
    printTable('Dispatcher, off the request path', [
      ['events drained', 'drain (ms)', 'per event (ms)', 'one event alone by a scan, median of 50 (ms)', 'deliveries queued'],
      [events, result.dispatcher.drainMs, result.dispatcher.msPerEvent, result.dispatcher.singleEventMedianMs, result.deliveriesQueued],
    ]);
    printTable('Dispatcher idle, and woken by NOTIFY (median ms)', [
      ['idle: scan of every organization, median of 200', 'idle: heard nothing, median of 200', 'one event: commit to deliveries queued, woken, median of 50'],
      [result.dispatcher.idleScanMedianMs, result.dispatcher.idleHeardNothingMedianMs, result.dispatcher.wokenEventMedianMs],
    ]);
    log(`wrote ${await writeResult('webhooks', result)}`);
    return result;
  } finally {
    await db.close();
    if (!flags.keep) await dropBenchDatabase(DATABASE);
  }
}

runMain(() => runWebhooksBench(parseFlags()));
