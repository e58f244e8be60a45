-- The RLS overhead (issue 13): policies spell out the tenant context instead of calling the
-- small SQL functions that read it (app.current_organization_id() and the others, 0007, 0031).
--
-- PostgreSQL inlines those functions, but it does so each time it plans a query, and inlining
-- parses and analyses the function's body text anew: once per call in every policy the query
-- meets. The list, search and audit reads are planned on every execution (their custom plans
-- win), so they paid it every time: a one-table audit read cost the server 1.15-1.17× the
-- superuser's CPU with the call, 1.08-1.10× with the expression spelled out (1M-task bench copy,
-- one backend per variant, interleaved). The expression is exactly what inlining produced, so
-- every policy means what it meant; the functions stay for code that reads the context.
set local lock_timeout = '5s';

-- A policy expression with each context function replaced by its body.
create function app.spell_out_context(expression text) returns text
  language sql immutable
  set search_path = pg_catalog
  as $$
    select replace(replace(replace(replace(replace(expression,
      'app.current_organization_id()', $e$(nullif(current_setting('app.organization_id', true), ''))::uuid$e$),
      'app.current_user_id()', $e$(nullif(current_setting('app.user_id', true), ''))::uuid$e$),
      'app.hidden_project_ids()', $e$coalesce((nullif(current_setting('app.hidden_project_ids', true), ''))::uuid[], app.refresh_project_access('hidden'))$e$),
      'app.read_only_project_ids()', $e$coalesce((nullif(current_setting('app.read_only_project_ids', true), ''))::uuid[], app.refresh_project_access('read_only'))$e$),
      'app.no_comment_project_ids()', $e$coalesce((nullif(current_setting('app.no_comment_project_ids', true), ''))::uuid[], app.refresh_project_access('no_comment'))$e$)
  $$;

-- Every policy of one table, rewritten where it calls a context function.
create function app.spell_out_policy_context(tbl regclass) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  policy record;
begin
  for policy in
    select pol.polname, pg_get_expr(pol.polqual, pol.polrelid) as using_expr, pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr
      from pg_policy pol
     where pol.polrelid = tbl
  loop
    if policy.using_expr is distinct from app.spell_out_context(policy.using_expr) then
      execute format('alter policy %I on %s using (%s)', policy.polname, tbl, app.spell_out_context(policy.using_expr));
    end if;
    if policy.check_expr is distinct from app.spell_out_context(policy.check_expr) then
      execute format('alter policy %I on %s with check (%s)', policy.polname, tbl, app.spell_out_context(policy.check_expr));
    end if;
  end loop;
end
$$;
revoke execute on function app.spell_out_policy_context(regclass) from public;

select app.spell_out_policy_context(t.tbl)
  from (select distinct pol.polrelid::regclass as tbl from pg_policy pol) t;

-- Tables equipped from now on get the same: enable_tenant_isolation re-created from its own
-- definition, ending with the rewrite.
do $$
declare
  definition constant text := pg_get_functiondef('app.enable_tenant_isolation(regclass)'::regprocedure);
  last_step constant text := 'perform app.restrict_to_visible_projects(tbl);';
  edited constant text := replace(definition, last_step, last_step || E'\n  perform app.spell_out_policy_context(tbl);');
begin
  if edited = definition then
    raise exception 'app.enable_tenant_isolation does not end as 0024 left it';
  end if;
  execute edited;
end
$$;
