-- Issue 13's leftovers: Better Auth's request limits shared by every server process, and project
-- stakeholders who comment but change nothing else, in the policies as in the services.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- Requests to /api/auth per client address and path in the current window (src/auth/
-- request-limit.ts). Better Auth kept them in each process's memory, so N processes allowed N
-- times the limit on the routes that send mail. Platform-wide, no tenant.
create table auth_request_limits (
  key        text not null primary key,
  requests   integer not null check (requests > 0),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Lets the sweep of lapsed windows find them without reading the table.
create index auth_request_limits_expires_at_idx on auth_request_limits (expires_at);
create trigger touch_updated_at before update on auth_request_limits
  for each row execute function app.touch_updated_at();
grant select, insert, update, delete on auth_request_limits to tenantry_platform;

-- Project stakeholders (issue 13) follow the work and discuss it: they read everything of the
-- project and comment, and change nothing else. The read-only set (writes) now holds their
-- projects too; comments are checked against a third set without them. All three are still
-- computed once per transaction, by one function that now takes which set it answers.
-- Only the two SQL functions below call it, by name in their text.
drop function app.refresh_project_access(boolean);

-- As 0030's (the caller's rights, both settings cleared while it computes), with stakeholders
-- and the third set. wanted: 'hidden' (reads), 'read_only' (writes), 'no_comment' (comments).
create function app.refresh_project_access(wanted text) returns uuid[]
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
alter function app.refresh_project_access(text) owner to tenantry_owner;

create or replace function app.hidden_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.hidden_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access('hidden')) $$;
create or replace function app.read_only_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.read_only_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access('read_only')) $$;
create function app.no_comment_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.no_comment_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access('no_comment')) $$;
revoke all on function app.refresh_project_access(text) from public;
grant execute on function app.refresh_project_access(text), app.hidden_project_ids(), app.read_only_project_ids(), app.no_comment_project_ids()
  to tenantry_app, tenantry_platform;

-- Comments: written where the caller may comment (0024 shape: the task's project looked up per
-- row only when there is something to refuse).
alter policy comments_tenant_insert on comments with check (organization_id = app.current_organization_id()
  and (cardinality(app.no_comment_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.no_comment_project_ids())));
alter policy comments_tenant_update on comments
  using (organization_id = app.current_organization_id()
    and (cardinality(app.no_comment_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.no_comment_project_ids())))
  with check (organization_id = app.current_organization_id()
    and (cardinality(app.no_comment_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.no_comment_project_ids())));
alter policy comments_tenant_delete on comments using (organization_id = app.current_organization_id()
  and (cardinality(app.no_comment_project_ids()) = 0 or app.project_of_task(task_id) <> all (app.no_comment_project_ids())));

-- On Citus, the new PL/pgSQL function gets what 0028 and 0030 give the others.
select app.prepare_functions_for_citus();
