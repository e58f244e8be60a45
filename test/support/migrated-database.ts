import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../../src/db/migrator/runner.js';
import { type TestDatabase, createTestDatabase } from './database.js';

/**
 * A fresh database at the latest migration for the tests of the enclosing `describe` (or file):
 * made before them, dropped after them. It is ready in the tests and in any `beforeAll`
 * registered after this call (which can seed it); reading it earlier throws.
 *
 * @example
 *   const test = useMigratedTestDatabase();
 *   it('reads', async () => { await test.db.query('select 1'); });
 */
export function useMigratedTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  const made = (): TestDatabase => {
    if (!current) throw new Error('the test database is made in beforeAll: use it inside a hook or a test');
    return current;
  };
  beforeAll(async () => {
    current = await createTestDatabase();
    await migrate(current.db);
  });
  afterAll(async () => {
    await current?.destroy();
  });
  return {
    get db() {
      return made().db;
    },
    get url() {
      return made().url;
    },
    connectAgain: () => made().connectAgain(),
    destroy: () => made().destroy(),
  };
}
