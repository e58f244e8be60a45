-- A one-round-trip write that names its task by reference (ACME-7, src/features/tasks/
-- repository.ts, resolveNamedTaskStatement) resolves it once, in the pipeline's first
-- statement, and the later statements read the id from app.named_task_id: each statement of a
-- pipeline takes its own snapshot, so resolving the reference in each could have a later one
-- act on another task (a project's key changed) or on none, while earlier ones acted.
--
-- A function, for the SET LOCAL it runs: Citus copies a SET LOCAL to the workers a transaction
-- touches (citus.propagate_set_commands = 'local', which the tenant context sets), and never a
-- set_config() call, so the statements a worker runs see the id too. No SET clause of its own:
-- one would undo the SET LOCAL when the function returns. Security invoker: the lookup reads
-- under the caller's RLS, as the ordinary path's findTask does; every name is qualified.
set local lock_timeout = '5s';

create function app.resolve_named_task(organization uuid, project_key text, task_number integer) returns uuid
  language plpgsql volatile
as $$
declare
  resolved uuid;
begin
  select t.id into resolved
    from public.tasks t
    join public.projects p on p.organization_id = t.organization_id and p.id = t.project_id and p.deleted_at is null
   where t.organization_id = organization and t.deleted_at is null and p.key = project_key and t.number = task_number;
  execute format('set local app.named_task_id = %L', coalesce(resolved::text, ''));
  return resolved;
end;
$$;
grant execute on function app.resolve_named_task(uuid, text, integer) to tenantry_app, tenantry_platform;
