-- tenantry:no-transaction
-- Reverses 0018_task_search_by_project: the search function as migration 0008 wrote it, without
-- the (project_id, search_vector) index and the btree_gin extension it needed.
set lock_timeout = '5s';
set statement_timeout = '2h';

create or replace function app.matching_task_ids(project_id uuid, query text) returns setof uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  set work_mem = '32MB'
  rows 200
  as $$
begin
  return query execute
    'select t.id
       from public.tasks t
      where t.organization_id = $1
        and t.project_id = $2
        and t.deleted_at is null
        and t.search_vector @@ websearch_to_tsquery(''english'', $3)'
    using app.current_organization_id(), project_id, query;
end
$$;

drop index concurrently if exists tasks_project_id_search_vector_idx;
drop extension if exists btree_gin;

reset statement_timeout;
reset lock_timeout;
