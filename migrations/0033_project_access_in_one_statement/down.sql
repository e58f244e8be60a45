-- Reverses 0033_project_access_in_one_statement: 0031's function.
set local lock_timeout = '5s';

create or replace function app.refresh_project_access(wanted text) returns uuid[]
  language plpgsql stable security invoker
  set search_path = pg_catalog
  as $$
declare
  organization uuid := app.current_organization_id();
  person uuid := app.current_user_id();
  hidden uuid[] := '{}';
  viewing uuid[] := '{}';
  following uuid[] := '{}';
begin
  perform set_config('app.hidden_project_ids', '{}', true);
  perform set_config('app.read_only_project_ids', '{}', true);
  perform set_config('app.no_comment_project_ids', '{}', true);
  if organization is not null and person is not null and not exists (
    select from public.members m
     where m.organization_id = organization and m.user_id = person and m.role in ('owner', 'admin')
  ) then
    select coalesce(array_agg(p.id), '{}') into hidden
      from public.projects p
     where p.organization_id = organization and p.visibility = 'private'
       and not exists (select from public.project_members pm
                        where pm.organization_id = organization and pm.project_id = p.id and pm.user_id = person);
    select coalesce(array_agg(pm.project_id) filter (where pm.role = 'viewer'), '{}'),
           coalesce(array_agg(pm.project_id) filter (where pm.role = 'stakeholder'), '{}')
      into viewing, following
      from public.project_members pm
     where pm.organization_id = organization and pm.user_id = person and pm.role in ('viewer', 'stakeholder');
  end if;
  perform set_config('app.hidden_project_ids', hidden::text, true);
  perform set_config('app.read_only_project_ids', (hidden || viewing || following)::text, true);
  perform set_config('app.no_comment_project_ids', (hidden || viewing)::text, true);
  return case wanted
    when 'hidden' then hidden
    when 'read_only' then hidden || viewing || following
    when 'no_comment' then hidden || viewing
  end;
end
$$;
select app.prepare_functions_for_citus();
