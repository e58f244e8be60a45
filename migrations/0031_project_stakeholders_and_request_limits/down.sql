-- Reverses 0031_project_stakeholders_and_request_limits.
set local lock_timeout = '5s';

-- Comments under the read-only set again, as 0024 made them.
alter policy comments_tenant_insert on comments with check (organization_id = app.current_organization_id()
  and (cardinality(app.read_only_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.read_only_project_ids())));
alter policy comments_tenant_update on comments
  using (organization_id = app.current_organization_id()
    and (cardinality(app.read_only_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.read_only_project_ids())))
  with check (organization_id = app.current_organization_id()
    and (cardinality(app.read_only_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.read_only_project_ids())));
alter policy comments_tenant_delete on comments using (organization_id = app.current_organization_id()
  and (cardinality(app.read_only_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.read_only_project_ids())));
drop function app.no_comment_project_ids();

-- 0030's function, without stakeholders.
create function app.refresh_project_access(read_only boolean) returns uuid[]
  language plpgsql stable security invoker
  set search_path = pg_catalog
  as $$
declare
  organization uuid := app.current_organization_id();
  person uuid := app.current_user_id();
  hidden uuid[] := '{}';
  viewing uuid[] := '{}';
begin
  perform set_config('app.hidden_project_ids', '{}', true);
  perform set_config('app.read_only_project_ids', '{}', true);
  if organization is not null and person is not null and not exists (
    select from public.members m
     where m.organization_id = organization and m.user_id = person and m.role in ('owner', 'admin')
  ) then
    select coalesce(array_agg(p.id), '{}') into hidden
      from public.projects p
     where p.organization_id = organization and p.visibility = 'private'
       and not exists (select from public.project_members pm
                        where pm.organization_id = organization and pm.project_id = p.id and pm.user_id = person);
    select coalesce(array_agg(pm.project_id), '{}') into viewing
      from public.project_members pm
     where pm.organization_id = organization and pm.user_id = person and pm.role = 'viewer';
  end if;
  perform set_config('app.hidden_project_ids', hidden::text, true);
  perform set_config('app.read_only_project_ids', (hidden || viewing)::text, true);
  return case when read_only then hidden || viewing else hidden end;
end
$$;
alter function app.refresh_project_access(boolean) owner to tenantry_owner;
revoke all on function app.refresh_project_access(boolean) from public;
grant execute on function app.refresh_project_access(boolean) to tenantry_app, tenantry_platform;
create or replace function app.hidden_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.hidden_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access(false)) $$;
create or replace function app.read_only_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.read_only_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access(true)) $$;
drop function app.refresh_project_access(text);
select app.prepare_functions_for_citus();

drop table auth_request_limits;
