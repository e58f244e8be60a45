import { describe, expect, it } from 'vitest';
import { useMigratedTestDatabase } from './support/migrated-database.js';

/**
 * What the policies cost (issue 13). Migration 0041: policies spell out the tenant context
 * instead of calling the functions that read it, because inlining a function parses its body
 * again each time a query is planned. Migration 0040: the per-transaction project-access step
 * sets nothing per call. Migration 0045: the organization is compared as text, so the policy's
 * comparison never joins the query's own `organization_id = $1` in an equivalence class.
 */
describe('policies and the tenant context', () => {
  const test = useMigratedTestDatabase();
  const uuidComparison = "NULLIF(current_setting('app.organization_id'";
  const textComparison = /\(\((organization_id|organization_ref|id)\)::text = current_setting\('app\.organization_id'::text, true\)/;
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

  it('every policy compares the organization as text (0045)', async () => {
    const policies = await policiesOf();
    expect(policies.filter((policy) => policy.expression.includes(uuidComparison)).map((policy) => policy.name)).toEqual([]);
    expect(policies.filter((policy) => textComparison.test(policy.expression)).length).toBeGreaterThan(100);
  });

  // What the text form is for: with the uuid form the planner derived `context = $1` for every
  // table and checked it in a Result node of its own, built anew at each execution.
  it("plans a tenant's scoped join without a one-time filter per table", async () => {
    const [org] = await test.db.query<{ id: string }>(`select gen_random_uuid()::text as id`);
    const plan = await test.db.session(async (session) => {
      await session.query('begin');
      try {
        await session.query(`select set_config('role', 'tenantry_app', true), set_config('app.organization_id', $1, true),
                                    set_config('app.hidden_project_ids', '{}', true), set_config('plan_cache_mode', 'force_generic_plan', true)`, [org?.id]);
        await session.query(`prepare scoped_join(uuid, uuid) as
                               select t.title, p.key, m.role from tasks t
                                 join projects p on p.organization_id = t.organization_id and p.id = t.project_id
                                 left join members m on m.organization_id = t.organization_id and m.user_id = t.assignee_id
                                where t.organization_id = $1 and t.id = $2`);
        // A generated UUID, inlined: EXECUTE's arguments take no bind parameters.
        const rows = await session.query<{ 'QUERY PLAN': string }>(`explain (costs off) execute scoped_join('${org?.id ?? ''}', gen_random_uuid())`);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await session.query('rollback');
        await session.query('deallocate all');
      }
    });
    expect(plan).toContain('current_setting');
    expect(plan).not.toContain('One-Time Filter');
  });

  it('the project-access step carries no setting of its own (0040): no save and restore of search_path per call', async () => {
    const [fn] = await test.db.query<{ config: string[] | null; definer: boolean }>(
      `select proconfig as config, prosecdef as definer from pg_proc where oid = 'app.refresh_project_access(text)'::regprocedure`,
    );
    expect(fn).toEqual({ config: null, definer: false });
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
        expect(policy.expression).not.toContain(uuidComparison);
      }
    } finally {
      await test.db.query('drop table widgets');
    }
  });
});
