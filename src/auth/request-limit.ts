import type { BetterAuthOptions } from 'better-auth';
import type { Database } from '../db/connection.js';

type RateLimitStorage = NonNullable<NonNullable<BetterAuthOptions['rateLimit']>['customStorage']>;

/** How long a lapsed window's row is kept before a later request sweeps it away. */
const KEEP_LAPSED_SECONDS = 60;

/**
 * Better Auth's request limiter counting in PostgreSQL, so every server process shares one count
 * per client address and path: its own memory store let each process allow the whole limit,
 * which on the routes that send mail (password reset, verification) multiplied the mail one
 * address could trigger by the number of processes. One statement per request, atomic under
 * concurrency (the upsert locks the row): a lapsed window starts again at this request, and
 * lapsed rows of other keys are swept on the way. A fixed window, where Better Auth's memory
 * store restarts it from the last allowed request.
 */
export function requestLimitStorage(db: Database): RateLimitStorage {
  return {
    async consume(key, rule) {
      const [row] = await db.query<{ requests: number; retry_after: number }>(
        `with sweep as (
           delete from auth_request_limits where expires_at < now() - make_interval(secs => $3) and key <> $1
         )
         insert into auth_request_limits as l (key, requests, expires_at)
         values ($1, 1, now() + make_interval(secs => $2))
         on conflict (key) do update set
           requests = case when l.expires_at <= now() then 1 else l.requests + 1 end,
           expires_at = case when l.expires_at <= now() then excluded.expires_at else l.expires_at end
         returning requests, greatest(1, ceil(extract(epoch from expires_at - now())))::int as retry_after`,
        [key, rule.window, KEEP_LAPSED_SECONDS],
      );
      if (!row || row.requests <= rule.max) return { allowed: true, retryAfter: null };
      return { allowed: false, retryAfter: row.retry_after };
    },
  };
}
