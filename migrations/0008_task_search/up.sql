-- Full-text search that can use its GIN index under RLS. `tsvector @@ tsquery` is not
-- LEAKPROOF, so for a role subject to RLS PostgreSQL must apply the policy before it and may not
-- use the operator as an index condition: a search in a large project read every task of the
-- project (a term nobody used: 130 ms in a 17,767-task project, against 0.2 ms with the index).
--
-- app.matching_task_ids runs as tenantry_platform (BYPASSRLS) and so may use the index, but it
-- reads the tenant only from the transaction's own context, never from an argument: a caller can
-- search their own organization and nothing else. With no context it finds nothing. Callers
-- still read the tasks themselves under RLS; this returns ids only.
set local lock_timeout = '5s';

create function app.matching_task_ids(project_id uuid, query text) returns setof uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  -- A common term in a large project matches hundreds of thousands of rows; in the default 4 MB
  -- the bitmap of matches goes lossy and every row of a lossy page is checked again (a
  -- 152,647-task project at 10M tasks: 515 ms, against 158 ms with 32 MB).
  set work_mem = '32MB'
  rows 200
  as $$
begin
  -- EXECUTE plans with the actual values, so PostgreSQL can weigh how common the term is and
  -- how large the project: a rare term goes to the GIN index, a common one in a small project
  -- through the project's own index. The organization is still the context's, passed as a value.
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

-- Giving the function to the platform role takes CREATE on its schema, only for the moment.
grant create on schema app to tenantry_platform;
alter function app.matching_task_ids(uuid, text) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;

revoke all on function app.matching_task_ids(uuid, text) from public;
grant execute on function app.matching_task_ids(uuid, text) to tenantry_app, tenantry_platform;
