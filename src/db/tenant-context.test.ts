import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, createTestDatabase, engine } from '../../test/support/database.js';
import { migrate } from './migrator/runner.js';
import { contextStatements, quoteLiteral, runAsClient, withTenant, withTenantPipeline } from './tenant-context.js';

const orgA = '00000000-0000-4000-8000-00000000000a';
const orgB = '00000000-0000-4000-8000-00000000000b';
const userA = '00000000-0000-4000-8000-0000000000a1';

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] =>
  Array.isArray(result) ? (result as Row[]) : ((result as { rows: Row[] }).rows ?? []);

describe('withTenant', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    await test.db.query(`insert into users (id, name, email) values ($1, 'Ada', 'ada@example.test')`, [userA]);
    for (const [id, slug] of [[orgA, 'a'], [orgB, 'b']] as const) {
      await test.db.query(`insert into organizations (id, name, slug) values ($1, $2, $2)`, [id, slug]);
      await test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'owner')`, [id, userA]);
      await test.db.query(`insert into projects (organization_id, name, key, owner_id) values ($1, 'P', 'PROJ', $2)`, [id, userA]);
    }
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('acts as tenantry_app with both settings, only inside its transaction', async () => {
    const inside = await withTenant(test.db, { organizationId: orgA, userId: userA }, async (tx) =>
      rowsOf(await tx.execute(sql`select current_user as role, current_setting('app.organization_id') as org,
                                        current_setting('app.user_id') as usr`)),
    );
    expect(inside[0]).toEqual({ role: 'tenantry_app', org: orgA, usr: userA });

    // The same pooled connections afterwards: no role and no tenant left behind.
    const after = await Promise.all(
      Array.from({ length: 4 }, () =>
        test.db.query<{ role: string; org: string | null }>(
          `select current_user as role, current_setting('app.organization_id', true) as org`,
        ),
      ),
    );
    for (const [row] of after) {
      expect(row?.role).not.toBe('tenantry_app');
      expect(row?.org ?? '').toBe('');
    }
  });

  it('says no project is hidden when no user acts, and leaves the sets to the policies when one does', async () => {
    const sets = `select coalesce(current_setting('app.hidden_project_ids', true), '') as hidden,
                         coalesce(current_setting('app.read_only_project_ids', true), '') as read_only,
                         coalesce(current_setting('app.no_comment_project_ids', true), '') as no_comment`;
    const nothingHidden = { hidden: '{}', read_only: '{}', no_comment: '{}' };
    const unknown = { hidden: '', read_only: '', no_comment: '' };
    const inTransaction = async (userId?: string) => (await withTenant(test.db, { organizationId: orgA, userId }, async (tx) => rowsOf(await tx.execute(sql.raw(sets)))))[0];
    const inPipeline = async (userId?: string) => {
      const [result] = await withTenantPipeline(test.db, { organizationId: orgA, userId }, [{ text: sets, values: [] }]);
      const [hidden, readOnly, noComment] = result?.rows[0] ?? [];
      return { hidden, read_only: readOnly, no_comment: noComment };
    };
    expect(await inTransaction()).toEqual(nothingHidden);
    expect(await inTransaction(userA)).toEqual(unknown);
    expect(await inPipeline()).toEqual(nothingHidden);
    expect(await inPipeline(userA)).toEqual(unknown);
  });

  // 0044: the switcher reads memberships as tenantry_platform; the app role sees one tenant's.
  it("shows the acting user's memberships of the current organization only", async () => {
    const memberships = await withTenant(test.db, { organizationId: orgA, userId: userA }, async (tx) => rowsOf(await tx.execute(sql`select organization_id from members`)));
    expect(memberships).toEqual([{ organization_id: orgA }]);
  });

  it('sees only its own tenant and records the actor in the audit trail', async () => {
    const projects = await withTenant(test.db, { organizationId: orgB, userId: userA, requestId: 'req-1' }, async (tx) => {
      await tx.execute(sql`update projects set description = 'changed' where organization_id = ${orgB}`);
      return rowsOf(await tx.execute(sql`select organization_id from projects`));
    });
    expect(projects).toEqual([{ organization_id: orgB }]);
    const [audit] = await test.db.query(
      `select actor_user_id, action, request_id, changed_fields from audit_logs
        where organization_id = $1 and resource_type = 'projects' and action = 'update'`,
      [orgB],
    );
    expect(audit).toEqual({ actor_user_id: userA, action: 'update', request_id: 'req-1', changed_fields: ['description'] });
  });

  it("stamps audit rows with the request's client, only inside its transaction", async () => {
    const stamped = await runAsClient({ ipAddress: '198.51.100.23', userAgent: 'ctx-test/1' }, () =>
      withTenant(test.db, { organizationId: orgA, userId: userA }, async (tx) => {
        await tx.execute(sql`update projects set description = 'client' where organization_id = ${orgA}`);
        return rowsOf(await tx.execute(sql`select current_setting('app.ip_address') as ip, current_setting('app.user_agent') as ua`));
      }),
    );
    expect(stamped).toEqual([{ ip: '198.51.100.23', ua: 'ctx-test/1' }]);
    const [audit] = await test.db.query(
      `select host(ip_address) as ip, user_agent from audit_logs
        where organization_id = $1 and resource_type = 'projects' and action = 'update' and new_values ->> 'description' = 'client'`,
      [orgA],
    );
    expect(audit).toEqual({ ip: '198.51.100.23', user_agent: 'ctx-test/1' });
    // An explicit context wins, and nothing is carried to the next transaction on the connection.
    const explicit = await withTenant(test.db, { organizationId: orgA, ipAddress: '2001:db8::1' }, async (tx) =>
      rowsOf(await tx.execute(sql`select current_setting('app.ip_address') as ip, current_setting('app.user_agent') as ua`)),
    );
    expect(explicit).toEqual([{ ip: '2001:db8::1', ua: '' }]);
    const after = await test.db.query<{ ip: string | null }>(`select current_setting('app.ip_address', true) as ip`);
    expect(after[0]?.ip ?? '').toBe('');
  });

  it('sets the context with SET LOCAL, Citus propagation right after the role, and carries any text through as a literal', async () => {
    expect(contextStatements('tenantry_app', { organizationId: orgA }).slice(0, 2)).toEqual([
      'SET LOCAL ROLE tenantry_app',
      `SET LOCAL citus.propagate_set_commands = 'local'`,
    ]);
    const awkward = `it's a \\ path\\; select 1 -- 'x' $$ \u00e9`;
    const seen = await withTenant(test.db, { organizationId: orgA, requestId: awkward, userAgent: "o'clock\\" }, async (tx) =>
      rowsOf(await tx.execute(sql`select current_setting('app.request_id') as req, current_setting('app.user_agent') as ua,
                                        current_setting('citus.propagate_set_commands') as citus`)),
    );
    expect(seen).toEqual([{ req: awkward, ua: "o'clock\\", citus: 'local' }]);
    const [after] = await test.db.query<{ citus: string | null }>(`select current_setting('citus.propagate_set_commands', true) as citus`);
    expect(after?.citus ?? '').toBe('');
  });

  // Citus needs the role in a message of its own (see roleApart); plain PostgreSQL does not.
  it.runIf(engine === 'postgres' && !process.env.TEST_CITUS_WORKERS)(
    'sends the context in one message on PostgreSQL without Citus: begin, context, work, commit',
    async () => {
      const work = () => withTenant(test.db, { organizationId: orgA, userId: userA }, (tx) => tx.execute(sql`select 1`));
      await work();
      const sent = vi.spyOn(pg.Client.prototype, 'query');
      try {
        await work();
        expect(sent.mock.calls.map(([text]) => String(typeof text === 'string' ? text : (text as { text: string }).text).split(' ')[0])).toEqual([
          'begin',
          'SET',
          'select',
          'commit',
        ]);
      } finally {
        sent.mockRestore();
      }
    },
  );

  it('quotes literals so they read back unchanged, and refuses a NUL', () => {
    expect(quoteLiteral("a'b")).toBe("'a''b'");
    expect(quoteLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
    expect(() => contextStatements('x; drop table tasks', { organizationId: orgA })).toThrow(/not a role name/);
  });

  it('rejects a context that is not a UUID before touching the database', async () => {
    await expect(withTenant(test.db, { organizationId: "x' or 1=1 --" }, () => Promise.resolve(1))).rejects.toThrow(
      /organizationId must be a UUID/,
    );
  });

  it('numbers concurrent tasks of one project without gaps or duplicates', async () => {
    const [project] = await test.db.query<{ id: string }>(`select id from projects where organization_id = $1`, [orgA]);
    const pools = engine === 'postgres' ? await Promise.all([test.connectAgain(), test.connectAgain()]) : [test.db];
    const numbers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        withTenant(pools[i % pools.length] ?? test.db, { organizationId: orgA }, async (tx) => {
          const [row] = rowsOf(
            await tx.execute(sql`insert into tasks (organization_id, project_id, title)
                                 values (${orgA}, ${project?.id}, ${`task ${i}`}) returning number`),
          );
          return Number(row?.number);
        }),
      ),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
