import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/db/migrator/files.js';
import { migrate, rollback } from '../src/db/migrator/runner.js';
import { describeSchema } from './support/catalog.js';
import { type TestDatabase, createTestDatabase } from './support/database.js';

describe('the real migrations', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('go up, all the way down, and up again to an identical catalog', async () => {
    const empty = await describeSchema(test.db);
    await migrate(test.db);
    const built = await describeSchema(test.db);
    expect(built.tables.length).toBeGreaterThan(20);

    const undone = await rollback(test.db, { all: true });
    expect(undone).toHaveLength(loadMigrations().length);
    const afterDown = await describeSchema(test.db);
    // Only the runner's own history table may remain.
    expect(afterDown.tables.filter((t) => !t.startsWith('public.tenantry_migrations '))).toEqual(empty.tables);
    expect(afterDown.policies).toEqual([]);
    expect(afterDown.functions).toEqual(empty.functions);

    await migrate(test.db);
    expect(await describeSchema(test.db)).toEqual(built);
  });

  it('also go down and up one step at a time', async () => {
    const built = await describeSchema(test.db);
    for (let i = 0; i < loadMigrations().length; i++) {
      await rollback(test.db, { steps: 1 });
    }
    await migrate(test.db);
    expect(await describeSchema(test.db)).toEqual(built);
  });
});
