-- Reverses 0045_policies_compare_organization_as_text: the organization is compared as a uuid
-- again, and app.spell_out_context is 0041's.
set local lock_timeout = '5s';

drop function app.spell_out_context(text);
alter function app.spell_out_context_calls(text) rename to spell_out_context;

do $$
declare
  policy record;
  using_expr text;
  check_expr text;
  text_form constant text := $r$\(\(([a-z_]+)\)::text = current_setting\('app\.organization_id'::text, true\)$r$;
  uuid_form constant text := $r$(\1 = (NULLIF(current_setting('app.organization_id'::text, true), ''::text))::uuid$r$;
begin
  for policy in
    select pol.polname, pol.polrelid::regclass as tbl, pg_get_expr(pol.polqual, pol.polrelid) as using_expr, pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr
      from pg_policy pol
  loop
    using_expr := regexp_replace(policy.using_expr, text_form, uuid_form, 'g');
    check_expr := regexp_replace(policy.check_expr, text_form, uuid_form, 'g');
    if using_expr is distinct from policy.using_expr then
      execute format('alter policy %I on %s using (%s)', policy.polname, policy.tbl, using_expr);
    end if;
    if check_expr is distinct from policy.check_expr then
      execute format('alter policy %I on %s with check (%s)', policy.polname, policy.tbl, check_expr);
    end if;
  end loop;
end
$$;
