/**
 * The webhook fan-out, off the request path. A write that some subscription wants records the
 * event per subscriber (`webhook_outbox`, repository.recordEvents); this turns each recorded
 * event into its delivery and `webhook.deliver` job and deletes it, all in one platform
 * transaction. The job worker runs it at the start of every pass (the handler's `feed`),
 * so the deliveries' jobs are claimed in the same pass.
 *
 * Exactly once: the claim locks the events (FOR UPDATE SKIP LOCKED), so two dispatchers (two
 * server processes) take different ones; the deliveries and the delete commit together, so a
 * dispatcher that dies mid-way leaves the events as they were, to the next pass.
 */
import type { Database } from '../../db/connection.js';
import { withPlatform } from '../../db/tenant-context.js';
import * as repository from './repository.js';

const SYSTEM = { requestId: 'system:webhook-dispatch' };
/** Events taken per organization and transaction; a pass repeats until none is left. */
const BATCH = 100;
/** Organizations looked at per round of a pass. */
const ORGANIZATIONS_PER_ROUND = 100;

/**
 * Fans out every pending event, one organization and batch per transaction, until none is left
 * that this process can take. Answers how many deliveries it queued.
 *
 * @example
 * await dispatchWebhookEvents(db); // then the worker claims their jobs
 */
export async function dispatchWebhookEvents(db: Database, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? BATCH;
  let queued = 0;
  for (;;) {
    const organizations = await withPlatform(db, SYSTEM, (tx) => repository.organizationsWithPendingEvents(tx, ORGANIZATIONS_PER_ROUND));
    let progressed = false;
    for (const organizationId of organizations) {
      const taken = await dispatchBatch(db, organizationId, batch);
      if (taken.events > 0) progressed = true;
      queued += taken.deliveries;
    }
    // Nothing taken: none left, or every one is held by another dispatcher, which will finish it.
    if (!progressed) return queued;
  }
}

/** One transaction: claim up to `batch` of the organization's events, fan them out, delete them. */
export function dispatchBatch(db: Database, organizationId: string, batch: number): Promise<{ events: number; deliveries: number }> {
  return withPlatform(db, SYSTEM, async (tx) => {
    const events = await repository.claimPendingEvents(tx, organizationId, batch);
    return { events: events.length, deliveries: await repository.fanOutEvents(tx, organizationId, events) };
  });
}
