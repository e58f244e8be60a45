import { type Placeholder, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../test/support/database.js';
import { migrate } from './migrator/runner.js';
import { projects, users } from './schema/index.js';
import { selectStatement } from './statement.js';
import { type Tx, withTenant, withTenantPipeline } from './tenant-context.js';

const org = '00000000-0000-4000-8000-00000000000a';
const ada = '00000000-0000-4000-8000-0000000000a1';
const owner = alias(users, 'owner');
const creator = alias(users, 'creator');

/** Every kind of value the decoder meets: columns that map their text, SQL with and without a decoder, and two joined groups. */
const fields = {
  name: projects.name,
  startDate: projects.startDate,
  settings: projects.settings,
  createdAt: projects.createdAt,
  // bigint arrives as text; mapWith is the decoder that makes it a number.
  projects: sql<number>`(select count(*) from projects)`.mapWith(Number),
  // A decoder of our own, on an aliased expression: the key as text, lower-cased only by decoding.
  label: sql<string>`${projects.key}`.mapWith((key: string) => key.toLowerCase()).as('label'),
  owner: { id: owner.id, name: owner.name },
  creator: { id: creator.id, email: creator.email },
};
/** The select as a transaction's builder makes it: run there, it decodes its rows itself; with a placeholder it becomes the statement. */
function select(tx: Tx, organizationId: Placeholder | string) {
  return tx
    .select(fields)
    .from(projects)
    .leftJoin(owner, eq(owner.id, projects.ownerId))
    .leftJoin(creator, eq(creator.id, projects.createdById))
    .where(eq(projects.organizationId, organizationId))
    .orderBy(asc(projects.name));
}

describe('selectStatement: rows decoded as the query builder decodes them', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    await test.db.query(`insert into users (id, name, email) values ($1, 'Ada', 'ada@example.test')`, [ada]);
    await test.db.query(`insert into organizations (id, name, slug) values ($1, 'A', 'a')`, [org]);
    await test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'owner')`, [org, ada]);
    await test.db.query(
      `insert into projects (organization_id, name, key, owner_id, start_date, settings) values ($1, 'Owned', 'OWN', $2, '2030-01-15', '{"a": [1]}'), ($1, 'Unowned', 'NONE', null, null, '{}')`,
      [org, ada],
    );
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('gives the same rows from a pipeline result as the builder gives, nested groups and null joins included', async () => {
    const context = { organizationId: org, userId: ada };
    const { statement, expected } = await withTenant(test.db, context, async (tx) => ({
      statement: selectStatement<{ organizationId: string }, unknown>(select(tx, sql.placeholder('organizationId'))),
      expected: await select(tx, org),
    }));
    const [result] = await withTenantPipeline(test.db, context, [statement.bind({ organizationId: org })]);
    const decoded = statement.rows(result);

    expect(decoded).toEqual(expected);
    const [owned, unowned] = expected;
    expect(owned).toMatchObject({ name: 'Owned', startDate: '2030-01-15', settings: { a: [1] }, projects: 2, label: 'own', owner: { id: ada, name: 'Ada' }, creator: null });
    expect(owned?.createdAt).toBeInstanceOf(Date);
    // A left join that found nothing is null, not an object of nulls.
    expect(unowned).toMatchObject({ startDate: null, owner: null, creator: null });
  });
});
