-- Reverses 0041_policies_spell_out_the_context: policies call the context functions again.
set local lock_timeout = '5s';

do $$
declare
  definition constant text := pg_get_functiondef('app.enable_tenant_isolation(regclass)'::regprocedure);
  edited constant text := replace(definition, E'\n  perform app.spell_out_policy_context(tbl);', '');
begin
  if edited = definition then
    raise exception 'app.enable_tenant_isolation does not hold the step 0041 added';
  end if;
  execute edited;
end
$$;

-- pg_get_expr prints each spelled-out expression in one fixed form; each becomes its call again.
do $$
declare
  policy record;
  fn record;
  using_expr text;
  check_expr text;
begin
  for policy in
    select pol.polname, pol.polrelid::regclass as tbl, pg_get_expr(pol.polqual, pol.polrelid) as using_expr, pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr
      from pg_policy pol
  loop
    using_expr := policy.using_expr;
    check_expr := policy.check_expr;
    for fn in
      select * from (values
        ('app.current_organization_id()', $e$(NULLIF(current_setting('app.organization_id'::text, true), ''::text))::uuid$e$),
        ('app.current_user_id()', $e$(NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid$e$),
        ('app.hidden_project_ids()', $e$COALESCE((NULLIF(current_setting('app.hidden_project_ids'::text, true), ''::text))::uuid[], app.refresh_project_access('hidden'::text))$e$),
        ('app.read_only_project_ids()', $e$COALESCE((NULLIF(current_setting('app.read_only_project_ids'::text, true), ''::text))::uuid[], app.refresh_project_access('read_only'::text))$e$),
        ('app.no_comment_project_ids()', $e$COALESCE((NULLIF(current_setting('app.no_comment_project_ids'::text, true), ''::text))::uuid[], app.refresh_project_access('no_comment'::text))$e$)
      ) as f(call, spelled)
    loop
      using_expr := replace(using_expr, fn.spelled, fn.call);
      check_expr := replace(check_expr, fn.spelled, fn.call);
    end loop;
    if using_expr is distinct from policy.using_expr then
      execute format('alter policy %I on %s using (%s)', policy.polname, policy.tbl, using_expr);
    end if;
    if check_expr is distinct from policy.check_expr then
      execute format('alter policy %I on %s with check (%s)', policy.polname, policy.tbl, check_expr);
    end if;
  end loop;
end
$$;

drop function app.spell_out_policy_context(regclass);
drop function app.spell_out_context(text);
