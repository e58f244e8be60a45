import type { SqlSession } from '../db/connection.js';
import { ROLES } from '../db/roles.js';

/** A statement whose result rows are counted: a `select 1 …`, or DML with `returning 1`. */
export type RowQuery<Subject> = { subject: Subject; sql: string };

export type RowCount<Subject> =
  | { subject: Subject; rows: number; error?: undefined }
  | { subject: Subject; rows?: undefined; error: string };

/**
 * Runs `work` in a transaction that is always rolled back, whatever happens inside, so no
 * check can change data. Inside a transaction `countRows` may use savepoints.
 */
export async function inRolledBackTransaction<T>(
  session: SqlSession,
  mode: 'read only' | 'read write',
  work: () => Promise<T>,
): Promise<T> {
  await session.query(`begin transaction ${mode === 'read only' ? 'read only' : 'read write'}`);
  try {
    return await work();
  } finally {
    await session.query('rollback');
  }
}

/**
 * Lets the current transaction see every tenant's rows: the connecting role already does when
 * it is a superuser or has BYPASSRLS; otherwise it acts as tenantry_platform until the end of
 * the transaction.
 */
export async function bypassRowLevelSecurity(session: SqlSession): Promise<void> {
  const [me] = await session.query<{ bypasses: boolean }>(
    'select rolsuper or rolbypassrls as bypasses from pg_roles where rolname = current_user',
  );
  if (!me?.bypasses) await session.query(`select set_config('role', $1, true)`, [ROLES.platform]);
}

/**
 * Counts the rows each statement yields. All statements go as one, each in its own CTE, so a
 * clean database costs one round trip; when that fails, each runs again alone behind a
 * savepoint so the error is pinned on the statement at fault. Must run inside a transaction,
 * and every statement must use every parameter (PostgreSQL cannot type an unused `$n`).
 *
 * @example
 * const [orphans] = await countRows(session, [{ subject: fk, sql: 'select 1 from "public"."t" where …' }]);
 */
export async function countRows<Subject>(
  session: SqlSession,
  queries: RowQuery<Subject>[],
  params: unknown[] = [],
): Promise<RowCount<Subject>[]> {
  if (queries.length === 0) return [];
  const ctes = queries.map((query, i) => `q${i} as (${query.sql})`).join(',\n');
  const counts = queries.map((_, i) => `select ${i} as i, count(*) as n from q${i}`).join('\nunion all ');
  await session.query('savepoint validate_batch');
  try {
    const rows = await session.query<{ i: number; n: number | string | bigint }>(
      `with ${ctes}\n${counts}`,
      params,
    );
    await session.query('release savepoint validate_batch');
    const byIndex = new Map(rows.map((row) => [Number(row.i), Number(row.n)]));
    return queries.map((query, i) => ({ subject: query.subject, rows: byIndex.get(i) ?? 0 }));
  } catch {
    await session.query('rollback to savepoint validate_batch');
    await session.query('release savepoint validate_batch');
  }
  const results: RowCount<Subject>[] = [];
  for (const query of queries) results.push(await countOne(session, query, params));
  return results;
}

async function countOne<Subject>(
  session: SqlSession,
  query: RowQuery<Subject>,
  params: unknown[],
): Promise<RowCount<Subject>> {
  await session.query('savepoint validate_one');
  try {
    const [row] = await session.query<{ n: number | string | bigint }>(
      `with q as (${query.sql}) select count(*) as n from q`,
      params,
    );
    await session.query('release savepoint validate_one');
    return { subject: query.subject, rows: Number(row?.n ?? 0) };
  } catch (error) {
    await session.query('rollback to savepoint validate_one');
    await session.query('release savepoint validate_one');
    return { subject: query.subject, error: error instanceof Error ? error.message : String(error) };
  }
}
