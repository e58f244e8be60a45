/**
 * Gives back the tokens of reservations nobody will settle: a process that crashed (or was
 * killed) between reserving and settling leaves its generation `reserved`, holding part of the
 * month's budget for ever. A sweep in the scheduling process releases each one older than
 * `olderThanMs`, far past the longest a live call may run (the AI call timeout), marks it
 * failed in words, and takes its tokens off the month's reserved count.
 *
 * A call that was only slow and settles after the sweep still records its usage; it does not
 * take its reservation back a second time (service.ts settles only what is still reserved).
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/connection.js';
import { rowsOf } from '../../db/rows.js';
import { type Tx, withPlatform, withTenant } from '../../db/tenant-context.js';
import { DEFAULT_AI_CALL_SETTINGS } from './call-settings.js';

/** Ten times the default call timeout: a reservation this old belongs to no running call. */
export const STALE_RESERVATION_MS = 10 * DEFAULT_AI_CALL_SETTINGS.timeoutMs;
/** How often the scheduling process looks. */
const SWEEP_EVERY_MS = 60 * 1000;
/** Rows per transaction, so a backlog never holds many locks at once. */
const BATCH = 500;
const SYSTEM = 'system:ai-reservation-sweep';
export const ABANDONED_ERROR = 'abandoned: the call was never settled (the server stopped during it); its reserved tokens were released';

/**
 * Releases every reservation created before `now - olderThanMs`, in every organization, and
 * answers how many. Safe in several processes at once: rows another sweep or a settling call
 * holds are skipped (SKIP LOCKED) and looked at next time.
 */
export async function releaseStaleReservations(db: Database, options: { olderThanMs?: number; now?: Date } = {}): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.olderThanMs ?? STALE_RESERVATION_MS)).toISOString();
  const organizations = await withPlatform(db, { requestId: SYSTEM }, async (tx) =>
    rowsOf<{ organization_id: string }>(
      await tx.execute(sql`select distinct organization_id from ai_generations where status = 'reserved' and created_at < ${cutoff}`),
    ),
  );
  let released = 0;
  for (const { organization_id: organizationId } of organizations) {
    for (;;) {
      const count = await withTenant(db, { organizationId, requestId: SYSTEM }, (tx) => releaseBatch(tx, organizationId, cutoff));
      released += count;
      if (count < BATCH) break;
    }
  }
  return released;
}

/**
 * One statement: lock a batch of stale reservations, fail them, and subtract what they held
 * from each month they were taken from (the generation's month, as the reservation was).
 */
async function releaseBatch(tx: Tx, organizationId: string, cutoff: string): Promise<number> {
  const [row] = rowsOf<{ released: number }>(
    await tx.execute(sql`
      with stale as (
        select id, reserved_tokens, date_trunc('month', created_at at time zone 'UTC')::date as month
          from ai_generations
         where organization_id = ${organizationId} and status = 'reserved' and created_at < ${cutoff}
         order by created_at
         limit ${BATCH}
           for update skip locked
      ), failed as (
        update ai_generations g
           set status = 'failed', reserved_tokens = 0, error = ${ABANDONED_ERROR}
          from stale
         where g.organization_id = ${organizationId} and g.id = stale.id
        returning g.id
      ), held as (
        select month, sum(reserved_tokens) as tokens from stale group by month
      ), given_back as (
        update ai_token_usage u
           set reserved_tokens = greatest(u.reserved_tokens - held.tokens, 0)
          from held
         where u.organization_id = ${organizationId} and u.month = held.month
      )
      select count(*)::int as released from failed`),
  );
  return row?.released ?? 0;
}

/**
 * Sweeps every minute in the scheduling process (timers unref'd, like the purge schedule); a
 * failed sweep is logged and the next one tries again. Returns a function that stops it.
 */
export function startReservationSweep(db: Database, logger: Logger, everyMs = SWEEP_EVERY_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    releaseStaleReservations(db)
      .then((released) => {
        if (released > 0) logger.warn({ released }, 'released AI token reservations that were never settled');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'the sweep of stale AI reservations failed; the next one tries again'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
