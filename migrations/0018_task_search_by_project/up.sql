-- tenantry:no-transaction
-- Search in a large project without reading every tenant's matches. Until now a search went
-- through two indexes ANDed together: the project's btree (every task of the project) and the
-- GIN index on search_vector (every match of the word, in every tenant). For a common word in
-- the largest project of a 5M-task copy (152,542 tasks, 5,764 matches, 188,219 matches across
-- tenants) that took 456 ms at the median (bench/search.ts).
--
-- A GIN index on (project_id, search_vector), through btree_gin, holds both keys: a search
-- intersects the project's and the word's posting lists inside one index and finds exactly
-- that project's matches (2.7-19 ms for the 5,774 above). The planner would not pick it by
-- itself: it multiplies the selectivity of organization_id and project_id as if they were
-- independent, takes the project for a sixth of its size, and ANDs in an organization index
-- (800,000 entries) as well. So the function asks for the candidates by project and word alone,
-- in a MATERIALIZED CTE that no btree (all lead with organization_id) can serve, and applies the
-- organization and deleted_at to the candidates. The organization is still the context's, never
-- an argument: another tenant's project id yields candidates that are all filtered out.
--
-- Built CONCURRENTLY, so writers are never blocked; that cannot run in a transaction. A build
-- that fails leaves an INVALID index behind: drop it (`drop index concurrently …`) and migrate
-- again. btree_gin is a trusted extension: the owner role may create it.
set lock_timeout = '5s';
set statement_timeout = '2h';

create extension if not exists btree_gin;

create index concurrently if not exists tasks_project_id_search_vector_idx
  on tasks using gin (project_id, search_vector);

create or replace function app.matching_task_ids(project_id uuid, query text) returns setof uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  -- A word common enough to match most of a large project still gives one bitmap that stays exact.
  set work_mem = '32MB'
  rows 200
  as $$
begin
  -- EXECUTE plans with the actual values, as before.
  return query execute
    'with candidates as materialized (
       select t.id, t.organization_id, t.deleted_at
         from public.tasks t
        where t.project_id = $2
          and t.search_vector @@ websearch_to_tsquery(''english'', $3)
     )
     select c.id from candidates c
      where c.organization_id = $1
        and c.deleted_at is null'
    using app.current_organization_id(), project_id, query;
end
$$;

reset statement_timeout;
reset lock_timeout;
