import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { type PurgeOptions, purgeDeleted } from './purge.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Long enough for start-up to settle, short enough that a server restarted daily still purges. */
const FIRST_RUN_AFTER_MS = 60 * 1000;

/**
 * Runs `purgeDeleted` once shortly after start and then daily, inside the server. The timers are
 * unref'd, so they never keep a stopping process alive; a failed run is logged and the next one
 * tries again. Returns a function that stops the schedule.
 */
export function startPurgeSchedule(
  db: Database,
  logger: Logger,
  timing = { firstRunAfterMs: FIRST_RUN_AFTER_MS, everyMs: DAY_MS },
  options: Pick<PurgeOptions, 'blobStore'> = {},
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const summary = await purgeDeleted(db, options);
      logger.info({ purge: { cutoff: summary.cutoff, total: summary.total, tables: summary.tables } }, 'purged soft-deleted rows past the retention period');
    } catch (error) {
      logger.error({ err: error }, 'purge of soft-deleted rows failed; the next run tries again');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), timing.firstRunAfterMs);
  const daily = setInterval(() => void run(), timing.everyMs);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
