import type { Database, SqlSession } from '../../src/db/connection.js';
import { sqlState } from '../../src/errors.js';

type Context = { organizationId?: string | null; userId?: string | null };

/**
 * Runs `work` as tenantry_app with the given context inside a transaction that is always
 * rolled back: tests can attack freely and leave nothing behind.
 */
export async function asApp<T>(db: Database, context: Context, work: (session: SqlSession) => Promise<T>): Promise<T> {
  return db.session(async (session) => {
    await session.query('begin');
    try {
      await session.query(
        `select set_config('role', 'tenantry_app', true),
                set_config('app.organization_id', $1, true),
                set_config('app.user_id', $2, true)`,
        [context.organizationId ?? '', context.userId ?? ''],
      );
      return await work(session);
    } finally {
      await session.query('rollback');
    }
  });
}

/** The SQLSTATE a promise rejects with, or 'no error'. */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return sqlState(error) ?? `non-SQL error: ${String(error)}`;
  }
}
