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
