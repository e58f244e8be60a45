set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- app.enable_tenant_isolation without the call, then every tenant table's plain policies.
do $$
declare
  definition constant text := pg_get_functiondef('app.enable_tenant_isolation(regclass)'::regprocedure);
  edited constant text := replace(definition, E'\n  perform app.restrict_to_visible_projects(tbl);', '');
begin
  if edited = definition then
    raise exception 'app.enable_tenant_isolation does not call app.restrict_to_visible_projects';
  end if;
  execute edited;
end
$$;
drop function app.restrict_to_visible_projects(regclass);

do $$
declare
  tenant constant text := 'organization_id = app.current_organization_id()';
  tbl text;
begin
  for tbl in
    select distinct pol.polrelid::regclass::text from pg_policy pol
     where pg_get_expr(pol.polqual, pol.polrelid) ~ 'app\.(hidden|read_only)_project_ids'
        or pg_get_expr(pol.polwithcheck, pol.polrelid) ~ 'app\.(hidden|read_only)_project_ids'
  loop
    execute format('alter policy %I on %s using (%s)', tbl || '_tenant_select', tbl, tenant);
    execute format('alter policy %I on %s with check (%s)', tbl || '_tenant_insert', tbl, tenant);
    execute format('alter policy %I on %s using (%s) with check (%s)', tbl || '_tenant_update', tbl, tenant, tenant);
    execute format('alter policy %I on %s using (%s)', tbl || '_tenant_delete', tbl, tenant);
  end loop;
end
$$;

drop function app.hidden_project_ids();
drop function app.read_only_project_ids();
drop function app.refresh_project_access(boolean);
drop function app.project_of_task(uuid);
drop function app.project_of_document(uuid);

drop index projects_organization_id_private_idx;
alter table projects drop column visibility;
