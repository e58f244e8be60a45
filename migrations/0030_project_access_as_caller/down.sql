-- Back to 0024's SECURITY DEFINER lookups owned by tenantry_platform, and 0028's preparation.
set local lock_timeout = '5s';

do $$
declare
  definition constant text := pg_get_functiondef('app.refresh_project_access(boolean)'::regprocedure);
  edited constant text := replace(definition,
    E'begin\n  perform set_config(\'app.hidden_project_ids\', \'{}\', true);\n  perform set_config(\'app.read_only_project_ids\', \'{}\', true);\n',
    E'begin\n');
begin
  if edited = definition then
    raise exception 'app.refresh_project_access does not begin as 0030 wrote it';
  end if;
  execute edited;
end
$$;
alter function app.refresh_project_access(boolean) security definer;
alter function app.project_of_task(uuid) security definer;
alter function app.project_of_document(uuid) security definer;

grant create on schema app to tenantry_platform;
alter function app.refresh_project_access(boolean) owner to tenantry_platform;
alter function app.project_of_task(uuid) owner to tenantry_platform;
alter function app.project_of_document(uuid) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;

do $$
declare
  definition constant text := pg_get_functiondef('app.prepare_functions_for_citus()'::regprocedure);
  edited constant text := replace(definition, $r$(p.prosecdef or p.prorettype = 'trigger'::regtype or p.provolatile = 's')$r$,
    $r$(p.prosecdef or p.prorettype = 'trigger'::regtype)$r$);
begin
  if edited = definition then
    raise exception 'app.prepare_functions_for_citus does not select functions as 0030 wrote it';
  end if;
  execute edited;
end
$$;
-- The STABLE functions 0028 did not prepare lose the setting again (none without Citus).
do $$
declare
  fn regprocedure;
begin
  for fn in
    select p.oid::regprocedure
      from pg_proc p
     where p.pronamespace = 'app'::regnamespace
       and not (p.prosecdef or p.prorettype = 'trigger'::regtype)
       and 'citus.allow_nested_distributed_execution=on' = any(p.proconfig)
  loop
    execute format('alter function %s reset citus.allow_nested_distributed_execution', fn);
  end loop;
end
$$;
