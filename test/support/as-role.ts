import type { Database, SqlSession } from '../../src/db/connection.js';
import { ROLES } from '../../src/db/roles.js';
import { contextStatements } from '../../src/db/tenant-context.js';
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
      // As withTenant does it (SET LOCAL, which Citus carries to the workers), not set_config().
      for (const statement of contextStatements(ROLES.app, { organizationId: context.organizationId ?? '', userId: context.userId ?? '' })) {
        await session.query(statement);
      }
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
