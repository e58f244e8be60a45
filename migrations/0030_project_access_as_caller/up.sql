-- Citus (issue 14): the project-access lookups of 0024 run as the caller, not as their owner.
--
-- A policy calls them on the shard it checks. As SECURITY DEFINER functions they ran as
-- tenantry_platform, so a transaction that had written a shard as tenantry_app and then read it
-- through one of them was refused by Citus ("cannot perform query on placements that were
-- modified in this transaction by a different user"): creating a task, a bulk create, a
-- document, completing a sprint, deleting an epic, removing a member. As the caller they read
-- under the caller's own policies, which is all they need:
-- - app.refresh_project_access reads members, projects and project_members of the context's
--   tenant, which the tenant predicate lets tenantry_app read. The policies of projects and
--   project_members call app.hidden_project_ids(), which would call this function again, so both
--   settings are '{}' (nothing hidden) while it computes them: it sees every project of its tenant.
-- - app.project_of_task and app.project_of_document answer NULL for a task or document the
--   caller cannot see, and a NULL project fails the policy that asked: a row under a hidden
--   project stays hidden, as before.
-- The policies and their per-row part are unchanged.
set local lock_timeout = '5s';

-- 0024's body, clearing both settings first.
do $$
declare
  definition constant text := pg_get_functiondef('app.refresh_project_access(boolean)'::regprocedure);
  edited constant text := replace(definition, E'begin\n  if organization is not null',
    E'begin\n  perform set_config(\'app.hidden_project_ids\', \'{}\', true);\n' ||
    E'  perform set_config(\'app.read_only_project_ids\', \'{}\', true);\n  if organization is not null');
begin
  if edited = definition then
    raise exception 'app.refresh_project_access does not begin as 0024 wrote it';
  end if;
  execute edited;
end
$$;
alter function app.refresh_project_access(boolean) security invoker;
alter function app.project_of_task(uuid) security invoker;
alter function app.project_of_document(uuid) security invoker;

-- They were owned by tenantry_platform only to run as it.
alter function app.refresh_project_access(boolean) owner to tenantry_owner;
alter function app.project_of_task(uuid) owner to tenantry_owner;
alter function app.project_of_document(uuid) owner to tenantry_owner;

-- 0028's preparation covered trigger and SECURITY DEFINER functions; these three are neither
-- now and still read distributed tables from a shard. Every STABLE PL/pgSQL function of schema
-- app is one a query may call on a shard, so those are prepared too.
do $$
declare
  definition constant text := pg_get_functiondef('app.prepare_functions_for_citus()'::regprocedure);
  edited constant text := replace(definition, $r$(p.prosecdef or p.prorettype = 'trigger'::regtype)$r$,
    $r$(p.prosecdef or p.prorettype = 'trigger'::regtype or p.provolatile = 's')$r$);
begin
  if edited = definition then
    raise exception 'app.prepare_functions_for_citus does not select functions as 0028 wrote it';
  end if;
  execute edited;
end
$$;
select app.prepare_functions_for_citus();
