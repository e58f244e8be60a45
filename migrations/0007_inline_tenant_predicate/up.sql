-- Cheaper policies, measured with bench/rls-overhead.ts. The context functions carried
-- `set search_path`, and PostgreSQL never inlines a SQL function with a SET clause, so every
-- policy wrapped its call in a sub-select (an InitPlan) to pay for it once per query. That
-- InitPlan was most of what RLS cost a one-row lookup (0.25 vs 0.21 ms). With schema-qualified
-- bodies the search path cannot change what they mean, the SET clause goes, the functions
-- inline into a plain stable expression, and PostgreSQL uses it directly as an index key.

create or replace function app.current_organization_id() returns uuid
  language sql stable
  as $$ select nullif(pg_catalog.current_setting('app.organization_id', true), '')::pg_catalog.uuid $$;
alter function app.current_organization_id() reset all;

create or replace function app.current_user_id() returns uuid
  language sql stable
  as $$ select nullif(pg_catalog.current_setting('app.user_id', true), '')::pg_catalog.uuid $$;
alter function app.current_user_id() reset all;

-- Every policy: `(select app.current_…_id())` becomes `app.current_…_id()`. ALTER POLICY locks
-- its table; give up rather than queue every request behind a long query.
set local lock_timeout = '5s';
do $$
declare
  policy record;
  wrapped constant text := '\( SELECT (app\.current_(organization|user)_id\(\)) AS current_\2_id\)';
begin
  for policy in
    select pol.polname, pol.polrelid::regclass as tbl,
           pg_get_expr(pol.polqual, pol.polrelid) as using_expr,
           pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr
      from pg_policy pol
  loop
    if policy.using_expr ~ wrapped then
      execute format('alter policy %I on %s using (%s)', policy.polname, policy.tbl,
                     regexp_replace(policy.using_expr, wrapped, '\1', 'g'));
    end if;
    if policy.check_expr ~ wrapped then
      execute format('alter policy %I on %s with check (%s)', policy.polname, policy.tbl,
                     regexp_replace(policy.check_expr, wrapped, '\1', 'g'));
    end if;
  end loop;
end
$$;

-- Tables equipped from now on get the same predicate: enable_tenant_isolation re-created from
-- its own definition with the one constant changed.
do $$
declare
  definition constant text := pg_get_functiondef('app.enable_tenant_isolation(regclass)'::regprocedure);
  edited constant text := replace(definition, '''organization_id = (select app.current_organization_id())''', '''organization_id = app.current_organization_id()''');
begin
  if edited = definition then
    raise exception 'app.enable_tenant_isolation does not hold the predicate this migration replaces';
  end if;
  execute edited;
end
$$;
