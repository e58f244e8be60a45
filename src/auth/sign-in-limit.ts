import type { Database } from '../db/connection.js';

/**
 * Failed sign-ins allowed per window: per client address, so one machine cannot try many
 * accounts, and per account, so rotating addresses cannot try one account without end.
 */
export const SIGN_IN_LIMITS = { address: 10, email: 5, windowSeconds: 15 * 60 } as const;

export type SignInAttempt = { ipAddress: string | null; email: string | null };

/** The subjects an attempt counts against; an unknown address or a missing email is not one. */
function subjectsOf(attempt: SignInAttempt): Array<{ kind: 'address' | 'email'; subject: string; max: number }> {
  const subjects: Array<{ kind: 'address' | 'email'; subject: string; max: number }> = [];
  if (attempt.ipAddress) subjects.push({ kind: 'address', subject: attempt.ipAddress, max: SIGN_IN_LIMITS.address });
  const email = attempt.email?.trim().toLowerCase();
  if (email) subjects.push({ kind: 'email', subject: email, max: SIGN_IN_LIMITS.email });
  return subjects;
}

/**
 * Seconds until the attempt may be tried again, or null when no limit holds. Asked before the
 * password is checked, so a held limit refuses the right password too and answers the same
 * whether the account exists or not.
 */
export async function signInRetryAfter(db: Database, attempt: SignInAttempt): Promise<number | null> {
  const subjects = subjectsOf(attempt);
  if (subjects.length === 0) return null;
  const [row] = await db.query<{ retry_after: number | null }>(
    `select ceil(extract(epoch from max(f.window_started_at + make_interval(secs => $4) - now())))::int as retry_after
       from sign_in_failures f
       join unnest($1::text[], $2::text[], $3::int[]) as s(kind, subject, max)
         on f.kind = s.kind and f.subject = s.subject
      where f.failures >= s.max
        and f.window_started_at > now() - make_interval(secs => $4)`,
    [subjects.map((s) => s.kind), subjects.map((s) => s.subject), subjects.map((s) => s.max), SIGN_IN_LIMITS.windowSeconds],
  );
  return row?.retry_after == null ? null : Math.max(1, row.retry_after);
}

/**
 * Counts one failure against the address and the account, in one atomic upsert per subject so
 * concurrent failures on any number of server processes are all counted. A lapsed window starts
 * again at this failure; lapsed rows of others are swept on the way.
 */
export async function recordSignInFailure(db: Database, attempt: SignInAttempt): Promise<void> {
  const subjects = subjectsOf(attempt);
  if (subjects.length === 0) return;
  await db.query(
    `insert into sign_in_failures as f (kind, subject, failures, window_started_at)
     select kind, subject, 1, now() from unnest($1::text[], $2::text[]) as s(kind, subject)
     on conflict (kind, subject) do update set
       failures = case when f.window_started_at <= now() - make_interval(secs => $3) then 1 else f.failures + 1 end,
       window_started_at = case when f.window_started_at <= now() - make_interval(secs => $3) then now() else f.window_started_at end`,
    [subjects.map((s) => s.kind), subjects.map((s) => s.subject), SIGN_IN_LIMITS.windowSeconds],
  );
  await db.query(`delete from sign_in_failures where window_started_at <= now() - make_interval(secs => $1)`, [SIGN_IN_LIMITS.windowSeconds]);
}
