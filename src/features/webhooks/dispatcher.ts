/**
 * The webhook fan-out, off the request path. A write that some subscription wants records the
 * event per subscriber (`webhook_outbox`, repository.recordEvents) and NOTIFYs its organization
 * on `WEBHOOK_CHANNEL`; this turns each recorded event into its delivery and `webhook.deliver`
 * job and deletes it, all in one platform transaction. The job worker runs it at the start of
 * every pass (the handler's `feed`), so the deliveries' jobs are claimed in the same pass; a
 * process's `WebhookDispatcher` then looks only at the organizations it heard of, and at every
 * organization once per fallback period, so an idle pass costs no statement at all.
 *
 * Exactly once: the claim locks the events (FOR UPDATE SKIP LOCKED), so two dispatchers (two
 * server processes) take different ones; the deliveries and the delete commit together, so a
 * dispatcher that dies mid-way leaves the events as they were, to the next pass.
 */
import { type Database, type Listener, listenPostgres } from '../../db/connection.js';
import { withPlatform } from '../../db/tenant-context.js';
import { isUuid } from '../../uuid.js';
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

/**
 * Fans out the pending events of one organization, a batch per transaction, until none is left
 * that this process can take: one shard on Citus, where `dispatchWebhookEvents` asks every one.
 */
export async function dispatchOrganization(db: Database, organizationId: string, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? BATCH;
  let queued = 0;
  for (;;) {
    const taken = await dispatchBatch(db, organizationId, batch);
    queued += taken.deliveries;
    // Fewer than a batch: none left, or the rest held by another dispatcher, which will finish them.
    if (taken.events < batch) return queued;
  }
}

/** How long a dispatcher goes without looking at every organization, in case a NOTIFY was missed. */
export const FALLBACK_MS = 30_000;

export type WebhookDispatcher = {
  /**
   * Fans out what is pending: every organization's events on the first call, after a reconnect
   * and once per fallback period; otherwise only those of the organizations NOTIFYed since the
   * last call, and with none, nothing (no statement). Answers how many deliveries it queued.
   */
  dispatch(): Promise<number>;
  /** Settles once the process listens: an event committed afterwards is heard. */
  ready: Promise<void>;
  close(): Promise<void>;
};

export type WebhookDispatcherOptions = {
  /** PostgreSQL to LISTEN on, when not the pool's URL (a pooler in transaction mode cannot LISTEN). */
  listenUrl?: string;
  fallbackMs?: number;
  /** The clock of the fallback; tests move it. */
  now?: () => number;
};

/**
 * One process's dispatcher (src/main.ts gives it to the job worker): it LISTENs on
 * `WEBHOOK_CHANNEL` (its own connection on PostgreSQL; within the process on PGlite) and keeps
 * the organizations it hears of until the next `dispatch`. Several processes all hear each
 * event; the claim's SKIP LOCKED gives each event to one of them. A NOTIFY lost (the connection
 * down, a write committed on a Citus worker's connection) waits at most for the fallback.
 */
export function startWebhookDispatcher(db: Database, options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  const fallbackMs = options.fallbackMs ?? FALLBACK_MS;
  const now = options.now ?? Date.now;
  const heard = new Set<string>();
  /** When every organization was last looked at; never yet: events may wait from before this process. */
  let lastScan = Number.NEGATIVE_INFINITY;
  const handlers = {
    message: (payload: string) => {
      if (isUuid(payload)) heard.add(payload);
    },
    // NOTIFYs sent while the connection was down are lost: look at every organization next time.
    reconnected: () => {
      lastScan = Number.NEGATIVE_INFINITY;
    },
  };
  const listener: Listener = options.listenUrl ? listenPostgres(options.listenUrl, repository.WEBHOOK_CHANNEL, handlers) : db.listen(repository.WEBHOOK_CHANNEL, handlers);

  const dispatchHeard = async () => {
    let queued = 0;
    const organizations = [...heard];
    heard.clear();
    for (const [index, organizationId] of organizations.entries()) {
      try {
        queued += await dispatchOrganization(db, organizationId);
      } catch (error) {
        // This one and those not reached yet are tried again on the next call.
        for (const left of organizations.slice(index)) heard.add(left);
        throw error;
      }
    }
    return queued;
  };

  return {
    ready: listener.ready,
    dispatch: async () => {
      const started = now();
      if (started - lastScan < fallbackMs) return heard.size === 0 ? 0 : dispatchHeard();
      // What was heard before this point committed before it, so the scan sees it.
      heard.clear();
      const queued = await dispatchWebhookEvents(db);
      lastScan = started;
      return queued;
    },
    close: () => listener.close(),
  };
}

/** One transaction: claim up to `batch` of the organization's events, fan them out, delete them. */
export function dispatchBatch(db: Database, organizationId: string, batch: number): Promise<{ events: number; deliveries: number }> {
  return withPlatform(db, SYSTEM, async (tx) => {
    const events = await repository.claimPendingEvents(tx, organizationId, batch);
    return { events: events.length, deliveries: await repository.fanOutEvents(tx, organizationId, events) };
  });
}
