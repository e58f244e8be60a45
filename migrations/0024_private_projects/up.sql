-- Private projects (issue 13): a project is seen by the whole organization, or, when private,
-- only by its project members and the organization's admins and owners. A project `viewer`
-- reads only. The services check both; these policies are the second wall.
--
-- Cost. Policies hold no subqueries (Citus refuses them) and are evaluated per row, so the
-- per-row part must stay an inlined comparison, like 0007's tenant predicate. The caller's
-- hidden and read-only project ids are computed once per transaction by a SECURITY DEFINER
-- function and kept in transaction-local settings (app.hidden_project_ids,
-- app.read_only_project_ids); each row then compares its project id with that array. An
-- organization without private projects or project viewers pays for reading one setting and
-- an empty array per row. The cached value belongs to the transaction's context: withTenant
-- sets the context once per transaction, and a transaction that changed it would have to
-- reset these two settings too.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

alter table projects add column visibility text not null default 'organization'
  check (visibility in ('organization', 'private'));
-- The per-transaction computation reads an organization's private projects only.
-- tenantry-lint-ignore index-without-concurrently: the column is new, every row has the default and so the partial index is empty
create index projects_organization_id_private_idx on projects (organization_id) where visibility = 'private';

-- Computes both sets for the transaction's organization and user, keeps them in the settings
-- and answers the one asked for. Admins and owners have neither set, and neither has work
-- without an acting user (jobs, webhooks, db validate's probe): the rule is about members, and
-- every request names its member. Without an organization no row passes the tenant predicate
-- anyway. Runs as tenantry_platform (BYPASSRLS):
-- it reads projects, whose own policy calls it. It reads only the context's tenant.
create function app.refresh_project_access(read_only boolean) returns uuid[]
  language plpgsql stable security definer
  set search_path = pg_catalog
  as $$
declare
  organization uuid := app.current_organization_id();
  person uuid := app.current_user_id();
  hidden uuid[] := '{}';
  viewing uuid[] := '{}';
begin
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

-- Projects the caller may not see / may not change, inlined into the policies: a setting read
-- per row, the computation once per transaction.
create function app.hidden_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.hidden_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access(false)) $$;
create function app.read_only_project_ids() returns uuid[]
  language sql stable
  as $$ select coalesce(nullif(pg_catalog.current_setting('app.read_only_project_ids', true), '')::pg_catalog.uuid[], app.refresh_project_access(true)) $$;

-- The project of a task or a document of the context's tenant, for the tables that name only
-- those (comments, watchers, sprint states, document versions). Their policies call these
-- per row only when the caller has hidden or read-only projects at all.
create function app.project_of_task(task uuid) returns uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  as $$
begin
  return (select t.project_id from public.tasks t where t.organization_id = app.current_organization_id() and t.id = task);
end
$$;
create function app.project_of_document(document uuid) returns uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  as $$
begin
  return (select d.project_id from public.documents d where d.organization_id = app.current_organization_id() and d.id = document);
end
$$;

grant create on schema app to tenantry_platform;
alter function app.refresh_project_access(boolean) owner to tenantry_platform;
alter function app.project_of_task(uuid) owner to tenantry_platform;
alter function app.project_of_document(uuid) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;
revoke all on function app.refresh_project_access(boolean), app.project_of_task(uuid), app.project_of_document(uuid) from public;
grant execute on function app.refresh_project_access(boolean), app.project_of_task(uuid), app.project_of_document(uuid),
  app.hidden_project_ids(), app.read_only_project_ids() to tenantry_app, tenantry_platform;

-- Every policy of a table that hangs off a project: the tenant predicate and the project's.
-- Reads use the hidden set, writes the read-only set (which includes the hidden one). The row's
-- project is its project_id (id for projects), else its task's or its document's. Watchers,
-- notifications and live events are the reader's own or derived rows: reads only.
create function app.restrict_to_visible_projects(tbl regclass) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  tenant constant text := 'organization_id = app.current_organization_id()';
  table_name text;
  has_column jsonb;
  project text;
  see text;
  change text;
begin
  -- Each column, with whether it is NOT NULL.
  select c.relname, (select jsonb_object_agg(a.attname, a.attnotnull) from pg_attribute a
                      where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped)
    into strict table_name, has_column
    from pg_class c where c.oid = tbl;
  if table_name = 'projects' then
    project := 'id';
  elsif has_column ? 'project_id' then
    project := 'project_id';
  elsif has_column ? 'task_id' then
    project := 'app.project_of_task(task_id)';
  elsif has_column ? 'document_id' then
    project := 'app.project_of_document(document_id)';
  else
    return;
  end if;
  if project like 'app.%' then
    -- A lookup per row, so only when there is something to hide.
    see := format('(cardinality(app.hidden_project_ids()) = 0 or %s <> all (app.hidden_project_ids()))', project);
    change := format('(cardinality(app.read_only_project_ids()) = 0 or %s <> all (app.read_only_project_ids()))', project);
  elsif (has_column ->> project)::boolean then
    see := format('%I <> all (app.hidden_project_ids())', project);
    change := format('%I <> all (app.read_only_project_ids())', project);
  else
    -- A row of no project (an AI generation, a notification) is the organization's.
    see := format('(%1$I is null or %1$I <> all (app.hidden_project_ids()))', project);
    change := format('(%1$I is null or %1$I <> all (app.read_only_project_ids()))', project);
  end if;
  if table_name in ('task_watchers', 'notifications', 'live_events') then
    change := see;
  end if;
  execute format('alter policy %I on %s using (%s and %s)', table_name || '_tenant_select', tbl, tenant, see);
  execute format('alter policy %I on %s with check (%s and %s)', table_name || '_tenant_insert', tbl, tenant, change);
  execute format('alter policy %I on %s using (%s and %s) with check (%s and %s)', table_name || '_tenant_update', tbl, tenant, change, tenant, change);
  execute format('alter policy %I on %s using (%s and %s)', table_name || '_tenant_delete', tbl, tenant, change);
end
$$;
revoke execute on function app.restrict_to_visible_projects(regclass) from public;

-- Every tenant table there is now, from the catalog.
select app.restrict_to_visible_projects(c.oid::regclass)
  from pg_class c
  join pg_attribute a on a.attrelid = c.oid and a.attname = 'organization_id' and a.attnotnull and not a.attisdropped
 where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p');

-- And every one equipped from now on: app.enable_tenant_isolation (0001, 0007) re-created from
-- its own definition, ending with the call above.
do $$
declare
  definition constant text := pg_get_functiondef('app.enable_tenant_isolation(regclass)'::regprocedure);
  last_step constant text := E'for each row execute function app.audit_row_change()\', tbl);\nend';
  edited constant text := replace(definition, last_step,
    E'for each row execute function app.audit_row_change()\', tbl);\n  perform app.restrict_to_visible_projects(tbl);\nend');
begin
  if edited = definition then
    raise exception 'app.enable_tenant_isolation does not end as this migration expects';
  end if;
  execute edited;
end
$$;
