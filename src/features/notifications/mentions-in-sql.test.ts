import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../../test/support/database.js';
import { mentionedHandles } from './service.js';
import { mentionedHandlesSql, unsureOfMentions } from './tell-in-one-trip.js';

const dialect = new PgDialect();

/**
 * A one-trip update tells only the members its new description newly mentions, reading the
 * stored description's mentions in SQL: that rule must find what `mentionedHandles` finds.
 */
describe('notifications: mentions found in SQL as in TypeScript', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.destroy();
  });

  const inSql = async (text: string) => {
    const query = dialect.sqlToQuery(mentionedHandlesSql(sql`${text}::text`));
    return (await test.db.query<{ h: string }>(query.sql, query.params)).map((row) => row.h).sort();
  };

  const tricky = [
    '@ann',
    'ask @Ann and @ANN, then @bob.',
    '@ann...',
    '@...',
    '@',
    'x @ y',
    'mail ann@example.com',
    'a.@ann _@ann -@ann 9@ann (@cid) "@dee" [@eve]',
    '@ann@bob',
    '@@ann',
    '@a.b-c_d.',
    '@a..b..',
    `@${'x'.repeat(70)}`,
    `@${'y'.repeat(63)}.z`,
    '@ann,@bob;@cid:@dee/@eve',
    'line\n@ann\t@bob\r\n@cid',
    '@1.2.3 and @-dash @_under',
    '',
  ];

  it.each(tricky)('finds in %j what mentionedHandles finds', async (text) => {
    expect(await inSql(text)).toEqual([...mentionedHandles(text)].sort());
  });

  it('calls a text beyond ASCII with an @ unsure (é before an @ is a letter to mentionedHandles)', async () => {
    const unsure = async (text: string) => {
      const query = dialect.sqlToQuery(sql`select ${unsureOfMentions(sql`${text}::text`)} as unsure`);
      return (await test.db.query<{ unsure: boolean }>(query.sql, query.params))[0]?.unsure;
    };
    expect(mentionedHandles('café@ann')).toEqual([]);
    expect(await unsure('café@ann')).toBe(true);
    expect(await unsure('@ann')).toBe(false);
    expect(await unsure('café, no mention')).toBe(false);
  });
});
