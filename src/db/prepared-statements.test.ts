import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase, engine } from '../../test/support/database.js';
import { type Database, openDatabase } from './connection.js';
import { PLAN_EACH_CALL } from './prepared-statements.js';

/**
 * Runs builder statements and one plain SQL string on a pool of a single connection, then lists
 * what that connection holds prepared (prepared statements belong to a session).
 */
async function preparedAfter(url: string, preparedStatements: boolean, builderStatements: string[]): Promise<string[]> {
  const db: Database = await openDatabase({ kind: 'postgres', url, preparedStatements }, { maxConnections: 1 });
  try {
    for (const text of builderStatements) await db.orm.execute(sql.raw(text));
    await db.query('select 1 as plain_string_query');
    const rows = await db.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements');
    return rows.map((row) => `${row.name} ${row.statement}`);
  } finally {
    await db.close();
  }
}

describe.skipIf(engine !== 'postgres')('prepared statements on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.destroy();
  });

  it("prepares the query builder's statements once per connection, by a digest of their text", async () => {
    if (!test.url) throw new Error('needs a URL');
    const held = await preparedAfter(test.url, true, ['select 41 + 1 as answer', 'select 41 + 1 as answer']);
    const answer = held.filter((line) => line.endsWith('select 41 + 1 as answer'));
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatch(/^tq_[A-Za-z0-9_-]+ /);
    // Plain SQL strings (migrations, catalog queries) are never named.
    expect(held.some((line) => line.includes('plain_string_query'))).toBe(false);
  });

  it('leaves a statement marked to be planned on each call unnamed', async () => {
    if (!test.url) throw new Error('needs a URL');
    const held = await preparedAfter(test.url, true, [`select 6 * 7 as searched ${PLAN_EACH_CALL}`, 'select 41 + 1 as answer']);
    expect(held.some((line) => line.includes('searched'))).toBe(false);
    expect(held.some((line) => line.includes('answer'))).toBe(true);
  });

  it('prepares nothing when turned off (transaction-mode poolers)', async () => {
    if (!test.url) throw new Error('needs a URL');
    expect(await preparedAfter(test.url, false, ['select 41 + 1 as answer'])).toEqual([]);
  });
});
