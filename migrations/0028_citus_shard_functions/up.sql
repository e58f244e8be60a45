-- Citus (issue 14): prepare every function that may run on a shard, not a fixed list.
--
-- 0014's app.prepare_functions_for_citus named the functions that read or write the tenant's
-- rows from a shard (triggers, the membership checks, search); 0019's app.project_activity_ids
-- came later and was missed, so a project's activity failed on Citus ("cannot execute a
-- distributed query from a query on a shard"). Now it prepares every PL/pgSQL function of the
-- app schema that is a trigger or SECURITY DEFINER: those are the ones a shard can call. On a
-- function that reads nothing the setting does nothing. `tenantry db migrate` calls it after
-- every run where Citus is installed, so later migrations are covered too, and
-- `db validate --citus` reports a function that may run on a shard and is not prepared, and a
-- trigger function that reads tg_table_name: the archived-project guard below did.
set local lock_timeout = '5s';

-- 0011's guard, naming the logical table: on a worker tg_table_name is the shard (tasks_102966).
create or replace function app.refuse_work_in_archived_project() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
  as $$
declare
  project_name text;
begin
  if current_user <> 'tenantry_app' then
    return new;
  end if;
  select p.name into project_name
    from projects p
   where p.organization_id = new.organization_id and p.id = new.project_id and p.archived_at is not null
     for share;
  if found then
    raise exception using
      errcode = 'TL409',
      message = format('project "%s" is archived and accepts no new %s; unarchive it first', project_name,
                       app.logical_table_name(tg_table_name));
  end if;
  return new;
end
$$;

create or replace function app.prepare_functions_for_citus() returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  fn regprocedure;
begin
  if not exists (select from pg_extension where extname = 'citus') then
    return;
  end if;
  for fn in
    select p.oid::regprocedure
      from pg_proc p
     where p.pronamespace = 'app'::regnamespace
       and p.prolang = (select l.oid from pg_language l where l.lanname = 'plpgsql')
       and (p.prosecdef or p.prorettype = 'trigger'::regtype)
       and not coalesce('citus.allow_nested_distributed_execution=on' = any(p.proconfig), false)
     order by p.oid
  loop
    execute format('alter function %s set citus.allow_nested_distributed_execution = on', fn);
  end loop;
end
$$;
revoke execute on function app.prepare_functions_for_citus() from public;
select app.prepare_functions_for_citus();
