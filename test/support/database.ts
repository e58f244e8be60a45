import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabaseExists } from '../../src/db/admin.js';
import { type Database, openDatabase } from '../../src/db/connection.js';

/** The server tests run against: TEST_DATABASE_URL, else DATABASE_URL, else PGlite. */
export const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
export const engine: 'postgres' | 'pglite' = serverUrl ? 'postgres' : 'pglite';

export type TestDatabase = {
  db: Database;
  /** The fresh database's URL on PostgreSQL; null on PGlite. */
  url: string | null;
  /** Opens another, independent connection pool to the same database (PostgreSQL only). */
  connectAgain(): Promise<Database>;
  destroy(): Promise<void>;
};

/**
 * A brand-new, empty database for one test file: a uniquely named database on the server,
 * or an in-memory PGlite. Refuses to run outside NODE_ENV=test, because it drops databases.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.NODE_ENV !== 'test') throw new Error('test databases are only made under NODE_ENV=test');
  if (!serverUrl) {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    return {
      db,
      url: null,
      connectAgain: () => Promise.reject(new Error('PGlite has a single connection')),
      destroy: () => db.close(),
    };
  }
  const url = new URL(serverUrl);
  url.pathname = `/tenantry_test_${randomBytes(6).toString('hex')}`;
  const fresh = url.toString();
  await ensureDatabaseExists(fresh);
  const extraPools: Database[] = [];
  const db = await openDatabase({ kind: 'postgres', url: fresh });
  return {
    db,
    url: fresh,
    connectAgain: async () => {
      const pool = await openDatabase({ kind: 'postgres', url: fresh });
      extraPools.push(pool);
      return pool;
    },
    destroy: async () => {
      await Promise.all([db, ...extraPools].map((pool) => pool.close().catch(() => undefined)));
      await dropDatabase(fresh);
    },
  };
}
