-- Back to sub-selected context functions with a fixed search path (0001's definitions).

set local lock_timeout = '5s';
do $$
declare
  policy record;
  bare constant text := '(?<!SELECT )app\.current_(organization|user)_id\(\)';
begin
  for policy in
    select pol.polname, pol.polrelid::regclass as tbl,
           pg_get_expr(pol.polqual, pol.polrelid) as using_expr,
           pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr
      from pg_policy pol
  loop
    if policy.using_expr ~ bare then
      execute format('alter policy %I on %s using (%s)', policy.polname, policy.tbl,
                     regexp_replace(policy.using_expr, bare, '(select app.current_\1_id())', 'g'));
    end if;
    if policy.check_expr ~ bare then
      execute format('alter policy %I on %s with check (%s)', policy.polname, policy.tbl,
                     regexp_replace(policy.check_expr, bare, '(select app.current_\1_id())', 'g'));
    end if;
  end loop;
end
$$;

create or replace function app.current_organization_id() returns uuid
  language sql stable
  set search_path = pg_catalog
  as $$ select nullif(current_setting('app.organization_id', true), '')::uuid $$;

create or replace function app.current_user_id() returns uuid
  language sql stable
  set search_path = pg_catalog
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

do $$
declare
  definition constant text := pg_get_functiondef('app.enable_tenant_isolation(regclass)'::regprocedure);
  edited constant text := replace(definition, '''organization_id = app.current_organization_id()''', '''organization_id = (select app.current_organization_id())''');
begin
  if edited = definition then
    raise exception 'app.enable_tenant_isolation does not hold the predicate this migration replaces';
  end if;
  execute edited;
end
$$;
