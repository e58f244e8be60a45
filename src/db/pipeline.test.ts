import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, createTestDatabase, engine } from '../../test/support/database.js';
import { type Database, openDatabase } from './connection.js';
import { migrate } from './migrator/runner.js';
import { withTenantPipeline } from './tenant-context.js';

const orgA = '00000000-0000-4000-8000-00000000000a';
const orgB = '00000000-0000-4000-8000-00000000000b';
const userA = '00000000-0000-4000-8000-0000000000a1';

const projectsOf = { text: 'select organization_id, name from projects order by name', values: [] };

describe('withTenantPipeline', () => {
  let test: TestDatabase;
  /** PostgreSQL: a pool of one connection, so every call reuses what the previous one left. */
  let single: Database;
  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    await test.db.query(`insert into users (id, name, email) values ($1, 'Ada', 'ada@example.test')`, [userA]);
    for (const [id, slug] of [[orgA, 'a'], [orgB, 'b']] as const) {
      await test.db.query(`insert into organizations (id, name, slug) values ($1, $2, $2)`, [id, slug]);
      await test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'owner')`, [id, userA]);
      await test.db.query(`insert into projects (organization_id, name, key, owner_id) values ($1, $2, 'PROJ', $3)`, [id, `P ${slug}`, userA]);
    }
    single = test.url ? await openDatabase({ kind: 'postgres', url: test.url }, { maxConnections: 1 }) : test.db;
  });
  afterAll(async () => {
    if (single && single !== test.db) await single.close();
    await test.destroy();
  });

  it('runs the context and the statements as one transaction, under RLS, in one round trip', async () => {
    // The pool asks once whether Citus is installed (tenant-context.ts, roleApart); not counted here.
    await withTenantPipeline(single, { organizationId: orgA }, [projectsOf]);
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const [role, projects, count] = await withTenantPipeline(single, { organizationId: orgA, userId: userA, requestId: "r'1" }, [
        { text: `select current_user, current_setting('app.user_id'), current_setting('app.request_id'), $1::int + 1`, values: [41] },
        projectsOf,
        { text: 'select count(*)::int, now()::date from projects where name like $1', values: ['P%'] },
      ]);
      expect(role?.rows).toEqual([['tenantry_app', userA, "r'1", 42]]);
      expect(projects?.rows).toEqual([[orgA, 'P a']]);
      // Dates stay text for the builder's columns to decode.
      expect(count?.rows[0]?.[0]).toBe(1);
      expect(typeof count?.rows[0]?.[1]).toBe('string');
      if (engine === 'postgres') expect(sent).toHaveBeenCalledTimes(1);
    } finally {
      sent.mockRestore();
    }
    const [after] = await single.query<{ role: string; org: string | null }>(`select current_user as role, current_setting('app.organization_id', true) as org`);
    expect(after?.role).not.toBe('tenantry_app');
    expect(after?.org ?? '').toBe('');
  });

  it('rolls everything back when a statement fails, with the database error, and leaves the connection clean', async () => {
    const failing = withTenantPipeline(single, { organizationId: orgB, userId: userA }, [
      { text: `update projects set description = 'half' where organization_id = $1`, values: [orgB] },
      { text: 'select 1 / $1::int', values: [0] },
      projectsOf,
    ]);
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    const [row] = await single.query<{ description: string | null }>('select description from projects where organization_id = $1', [orgB]);
    expect(row?.description).toBeNull();
    const [state] = await single.query<{ role: string; org: string | null }>(
      `select current_user as role, current_setting('app.organization_id', true) as org`,
    );
    expect(state?.role).not.toBe('tenantry_app');
    expect(state?.org ?? '').toBe('');
    // The statements the failed pipeline parsed run again on the same connection.
    const [projects] = await withTenantPipeline(single, { organizationId: orgB }, [projectsOf]);
    expect(projects?.rows).toEqual([[orgB, 'P b']]);
  });

  it('commits writes, which the audit trigger records with the actor', async () => {
    const [changed] = await withTenantPipeline(single, { organizationId: orgA, userId: userA }, [
      { text: `update projects set description = $1 where organization_id = $2`, values: ['piped', orgA] },
    ]);
    expect(changed?.rowCount).toBe(1);
    const [audit] = await test.db.query(
      `select actor_user_id from audit_logs where organization_id = $1 and resource_type = 'projects' and new_values ->> 'description' = 'piped'`,
      [orgA],
    );
    expect(audit).toEqual({ actor_user_id: userA });
  });

  // Citus propagates only SET LOCAL, so there the context stays seven SET statements.
  it.runIf(engine === 'postgres' && !process.env.TEST_CITUS_WORKERS)(
    'sets the context with one statement of bound values, prepared once per connection, not SET statements parsed per request',
    async () => {
      const sent = vi.spyOn(pg.Client.prototype, 'query');
      try {
        await withTenantPipeline(single, { organizationId: orgA, userId: userA, requestId: 'one' }, [projectsOf]);
        await withTenantPipeline(single, { organizationId: orgB, userId: userA, requestId: 'two' }, [projectsOf]);
        const texts = sent.mock.calls.flatMap(([query]) => ((query as { statements?: { text: string }[] }).statements ?? []).map((statement) => statement.text));
        expect(texts.filter((text) => /^set /i.test(text))).toEqual([]);
        expect(texts.filter((text) => text.includes('set_config'))).toHaveLength(2);
      } finally {
        sent.mockRestore();
      }
      const [prepared] = await withTenantPipeline(single, { organizationId: orgA }, [
        { text: `select statement from pg_prepared_statements where statement like '%set_config(''app.organization_id''%'`, values: [] },
      ]);
      expect(prepared?.rows).toHaveLength(1);
    },
  );

  it('refuses a context value with a NUL before touching the database', async () => {
    await expect(withTenantPipeline(single, { organizationId: orgA, userAgent: 'a\0b' }, [projectsOf])).rejects.toThrow(/NUL/);
  });

  it.skipIf(engine !== 'postgres')('prepares each statement once per connection, and not at all when prepared statements are off', async () => {
    const held = async (db: Database) => {
      for (let i = 0; i < 3; i++) await withTenantPipeline(db, { organizationId: orgA }, [projectsOf]);
      const [names] = await withTenantPipeline(db, { organizationId: orgA }, [
        { text: `select name, statement from pg_prepared_statements where name like 'tp\\_%' order by statement`, values: [] },
      ]);
      return (names?.rows ?? []).map(([, statement]) => String(statement));
    };
    const on = await held(single);
    expect(on.filter((statement) => statement === projectsOf.text)).toHaveLength(1);
    expect(on).toContain('begin');
    // The context's SET statements carry per-request values: never kept prepared.
    expect(on.filter((statement) => /^set/i.test(statement))).toEqual([]);
    if (!test.url) throw new Error('needs a URL');
    const unprepared = await openDatabase({ kind: 'postgres', url: test.url, preparedStatements: false }, { maxConnections: 1 });
    try {
      expect(await held(unprepared)).toEqual([]);
    } finally {
      await unprepared.close();
    }
  });
  it.skipIf(engine !== 'postgres')(
    'describes a prepared statement once, and decodes it right after its table changes columns on every connection',
    async () => {
      if (!test.url) throw new Error('needs a URL');
      await single.query('create table pipeline_shape (id int, v int)');
      await single.query('insert into pipeline_shape values (1, 41)');
      const read = { text: 'select * from pipeline_shape', values: [] };
      const other = await openDatabase({ kind: 'postgres', url: test.url }, { maxConnections: 1 });
      const described = vi.spyOn(pg.Connection.prototype, 'describe');
      try {
        for (const db of [single, other]) expect((await db.pipeline([read]))[0]?.rows).toEqual([[1, 41]]);
        described.mockClear();
        // Prepared and described on both connections: the statement, BEGIN and COMMIT go without a Describe.
        expect((await single.pipeline([read]))[0]?.rows).toEqual([[1, 41]]);
        expect(described).not.toHaveBeenCalled();

        // The server refuses the prepared statement now ('cached plan must not change result type'):
        // the pipeline parses it afresh, and the other connection, which has not met the refusal, too.
        await single.query(`alter table pipeline_shape alter column v type text using v::text || '!'`);
        expect((await single.pipeline([read]))[0]?.rows).toEqual([[1, '41!']]);
        expect((await other.pipeline([read]))[0]?.rows).toEqual([[1, '41!']]);
        await single.query('alter table pipeline_shape add column due date');
        await single.query(`update pipeline_shape set due = '2026-12-04'`);
        expect((await other.pipeline([read]))[0]?.rows).toEqual([[1, '41!', '2026-12-04']]);
        expect((await single.pipeline([read]))[0]?.rows).toEqual([[1, '41!', '2026-12-04']]);
      } finally {
        described.mockRestore();
        await other.close();
        await single.query('drop table pipeline_shape');
      }
    },
  );
});
