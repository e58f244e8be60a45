-- Back to 0014's list: the functions it did not name lose the setting again.
set local lock_timeout = '5s';

do $$
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
       and 'citus.allow_nested_distributed_execution=on' = any(p.proconfig)
       and p.oid not in (
         'app.audit_row_change()'::regprocedure, 'app.assign_task_number()'::regprocedure,
         'app.assign_task_position()'::regprocedure, 'app.refuse_task_in_completed_sprint()'::regprocedure,
         'app.refuse_work_in_archived_project()'::regprocedure, 'app.record_task_sprint_state()'::regprocedure,
         'app.matching_task_ids(uuid, text)'::regprocedure, 'app.acting_user_is_member(uuid)'::regprocedure,
         'app.is_member_of_current_organization(uuid)'::regprocedure)
  loop
    execute format('alter function %s reset citus.allow_nested_distributed_execution', fn);
  end loop;
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
  foreach fn in array array[
    'app.audit_row_change()', 'app.assign_task_number()', 'app.assign_task_position()',
    'app.refuse_task_in_completed_sprint()', 'app.refuse_work_in_archived_project()',
    'app.record_task_sprint_state()', 'app.matching_task_ids(uuid, text)',
    'app.acting_user_is_member(uuid)', 'app.is_member_of_current_organization(uuid)'
  ]::regprocedure[] loop
    execute format('alter function %s set citus.allow_nested_distributed_execution = on', fn);
  end loop;
end
$$;
revoke execute on function app.prepare_functions_for_citus() from public;

-- 0011's guard as it was.
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
      message = format('project "%s" is archived and accepts no new %s; unarchive it first', project_name, tg_table_name);
  end if;
  return new;
end
$$;
select app.prepare_functions_for_citus();
