import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabaseExists } from '../../src/db/admin.js';
import { distribute } from '../../src/citus/distribute.js';
import { DEFAULT_REFERENCE_LIMITS } from '../../src/citus/findings.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator/runner.js';
import { createCitusDatabase, dropCitusDatabase } from './citus-cluster.js';

/** The server tests run against: TEST_DATABASE_URL, else DATABASE_URL, else PGlite. */
export const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
/**
 * The Citus suite (vitest.citus.config.ts) points TEST_DATABASE_URL at a throwaway cluster's
 * coordinator and lists its workers here: every test database is then created on every node,
 * migrated and distributed before the test sees it, so the suites written for one PostgreSQL
 * run unchanged on Citus (their own migrate() finds nothing left to do).
 */
const citusWorkers = process.env.TEST_CITUS_WORKERS ? process.env.TEST_CITUS_WORKERS.split(',') : [];
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
  const name = `/tenantry_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = name;
  const fresh = url.toString();
  const workerUrls = citusWorkers.map((worker) => Object.assign(new URL(worker), { pathname: name }).toString());
  if (workerUrls.length > 0) await createCitusDatabase(fresh, workerUrls);
  else await ensureDatabaseExists(fresh);
  const extraPools: Database[] = [];
  const db = await openDatabase({ kind: 'postgres', url: fresh });
  if (workerUrls.length > 0) await migrateAndDistribute(db);
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
      if (workerUrls.length > 0) await dropCitusDatabase([fresh, ...workerUrls]);
      else await dropDatabase(fresh);
    },
  };
}

async function migrateAndDistribute(db: Database): Promise<void> {
  await migrate(db);
  const outcome = await distribute(db, { dryRun: false, limits: DEFAULT_REFERENCE_LIMITS });
  if (outcome.status !== 'distributed') throw new Error(`distribute ended ${outcome.status}: ${JSON.stringify(outcome)}`);
}
