import { describe, expect, it } from 'vitest';
import { useMigratedTestDatabase } from './support/migrated-database.js';

/**
 * What the policies cost (issue 13). Migration 0041: policies spell out the tenant context
 * instead of calling the functions that read it, because inlining a function parses its body
 * again each time a query is planned. Migration 0040: the per-transaction project-access step
 * sets nothing per call.
 */
describe('policies and the tenant context', () => {
  const test = useMigratedTestDatabase();
  const contextCalls = /app\.(current_organization_id|current_user_id|hidden_project_ids|read_only_project_ids|no_comment_project_ids)\(\)/;

  const policiesOf = async (table?: string) =>
    test.db.query<{ name: string; expression: string }>(
      `select pol.polrelid::regclass || '.' || pol.polname as name,
              coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || ' ' || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '') as expression
         from pg_policy pol
        where $1::regclass is null or pol.polrelid = $1::regclass`,
      [table ?? null],
    );

  it('no policy calls a context function', async () => {
    const policies = await policiesOf();
    expect(policies.length).toBeGreaterThan(100);
    expect(policies.filter((policy) => contextCalls.test(policy.expression)).map((policy) => policy.name)).toEqual([]);
    expect(policies.filter((policy) => policy.expression.includes("current_setting('app.organization_id'")).length).toBeGreaterThan(100);
  });

  it('the project-access step carries no setting of its own (0040): no save and restore of search_path per call', async () => {
    const [fn] = await test.db.query<{ config: string[] | null; definer: boolean }>(
      `select proconfig as config, prosecdef as definer from pg_proc where oid = 'app.refresh_project_access(text)'::regprocedure`,
    );
    expect(fn).toEqual({ config: null, definer: false });
  });

  // Comparing the organization as text (tried on 2026-12-05 for a cheaper executor start, and
  // withdrawn before it shipped): a text comparison is a second, independent filter to the
  // planner, which then estimated a project's 17,641 tasks at 13 and sorted all of them for a page (86 ms against
  // under 1). As a uuid equality the policy's test folds into the query's own.
  it("estimates a tenant's rows under RLS as a role past RLS does", async () => {
    const [{ org, other, user, project } = { org: '', other: '', user: '', project: '' }] = await test.db.query<{ org: string; other: string; user: string; project: string }>(
      `select gen_random_uuid()::text as org, gen_random_uuid()::text as other, gen_random_uuid()::text as "user", gen_random_uuid()::text as project`,
    );
    await test.db.query(`insert into users (id, name, email) values ($1, 'Estimator', $2)`, [user, `${user}@example.test`]);
    for (const [id, slug] of [[org, `estimates-${org}`], [other, `estimates-${other}`]]) {
      await test.db.query(`insert into organizations (id, name, slug) values ($1, $2, $2)`, [id, slug]);
      await test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'owner')`, [id, user]);
      await test.db.query(`insert into projects (organization_id, id, name, key, owner_id) values ($1, $2, 'Estimates', 'EST', $3)`, [id, id === org ? project : other, user]);
    }
    await test.db.query(`insert into tasks (organization_id, project_id, number, title)
                         select p.organization_id, p.id, n, 'task ' || n from projects p, generate_series(1, 400) n where p.organization_id in ($1, $2)`, [org, other]);
    await test.db.query('analyze tasks');
    // Enough members that an estimate of a few would show: the OR estimated 2 of 76 on the bench copy.
    await test.db.query(`insert into users (id, name, email) select gen_random_uuid(), 'Member ' || n, 'member-' || n || $1 from generate_series(1, 150) n`, [`-${org}@example.test`]);
    await test.db.query(`insert into members (organization_id, user_id) select $1, u.id from users u where u.email like $2`, [org, `member-%-${org}@example.test`]);
    await test.db.query('analyze members');
    const estimate = (role: string, query: string) => test.db.session(async (session) => {
      await session.query('begin');
      try {
        await session.query(`select set_config('role', $1, true), set_config('app.organization_id', $2, true), set_config('app.hidden_project_ids', '{}', true)`, [role, org]);
        const [row] = await session.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`explain (format json) ${query}`);
        return row?.['QUERY PLAN'][0].Plan['Plan Rows'];
      } finally {
        await session.query('rollback');
      }
    });
    const tasksOfProject = `select id from tasks where organization_id = '${org}' and project_id = '${project}'`;
    const bypassing = await estimate('tenantry_platform', tasksOfProject);
    expect(bypassing).toBeGreaterThan(100);
    expect(await estimate('tenantry_app', tasksOfProject)).toBe(bypassing);
    // 0044: the members policy's second arm (a user's memberships everywhere) made it an OR.
    const membersOfOrganization = `select user_id from members where organization_id = '${org}'`;
    expect(await estimate('tenantry_app', membersOfOrganization)).toBe(await estimate('tenantry_platform', membersOfOrganization));
  });

  it('a table equipped later gets its policies spelled out too', async () => {
    await test.db.query(`create table widgets (organization_id uuid not null, id uuid primary key, project_id uuid,
                                               created_at timestamptz not null default now(), updated_at timestamptz not null default now())`);
    try {
      await test.db.query(`select app.enable_tenant_isolation('widgets')`);
      const policies = await policiesOf('widgets');
      expect(policies.map((policy) => policy.name).sort()).toEqual(['widgets.widgets_tenant_delete', 'widgets.widgets_tenant_insert', 'widgets.widgets_tenant_select', 'widgets.widgets_tenant_update']);
      for (const policy of policies) {
        expect(policy.expression).not.toMatch(contextCalls);
        expect(policy.expression).toContain("current_setting('app.organization_id'");
      }
    } finally {
      await test.db.query('drop table widgets');
    }
  });
});
