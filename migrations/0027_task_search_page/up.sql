-- tenantry:no-transaction
-- Search in a large project, one page at a time. app.matching_task_ids (0008, 0018) finds a
-- word's matches in a project through the (project_id, search_vector) index, but returns all of
-- them: for a common word in a 152,542-task project, 5,693 ids, which the task list then read
-- one by one under RLS, joined, sorted and cut to a page of 50 (443 ms at p95, bench/search.ts).
--
-- app.matching_task_page applies the list's sort, its cursor and the page size to the
-- candidates inside the function, so the list reads only a page of tasks. In the project's own
-- order (the board's, and the list's default) it first walks the position index and checks each
-- task against the word: a word in a few percent of the tasks fills a page within a few thousand
-- (16 ms, against 49 ms to fetch and sort all 5,693 matches). A rarer word does not fill the page
-- within 4,000 tasks, and goes to the index of 0018 as every other sort does. The sort is one of the
-- list's own keys (src/features/tasks/sort.ts), named, never an expression from the caller; the
-- cursor's value goes in as a bound parameter cast to the key's type. Like matching_task_ids it
-- takes the organization from the transaction's context only.
--
-- The search GIN index of 0003 (search_vector alone) has served no query since 0018: every task
-- search is by project. Dropped, CONCURRENTLY, so writers are never blocked; that cannot run in
-- a transaction.
set lock_timeout = '5s';
set statement_timeout = '2h';

create or replace function app.matching_task_page(project_id uuid, query text, sort text, after_value text, after_id uuid, page_size integer)
  returns setof uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  set work_mem = '32MB'
  rows 51
  as $$
declare
  descending constant boolean := left(sort, 1) = '-';
  beyond constant text := case when left(sort, 1) = '-' then '<' else '>' end;
  key text;
  value_type text;
  nullable boolean := false;
  past_cursor text := 'true';
  walked uuid[];
begin
  case ltrim(sort, '-')
    when 'position' then key := 'c.position collate "C"'; value_type := 'text collate "C"';
    when 'priority' then key := 'array_position(array[''low'', ''medium'', ''high'', ''urgent'']::text[], c.priority)'; value_type := 'integer';
    when 'updated' then key := 'c.updated_at'; value_type := 'timestamptz';
    when 'created' then key := 'c.created_at'; value_type := 'timestamptz';
    when 'due' then key := 'c.due_date'; value_type := 'date'; nullable := true;
    else raise exception 'unknown task sort: %', sort using errcode = '22023';
  end case;
  -- The same rows the list's own cursor condition keeps (sort.ts afterCursor): nulls come last.
  if after_id is not null and after_value is null then
    past_cursor := format('(%s is null and c.id %s $5)', key, beyond);
  elsif after_id is not null then
    past_cursor := format('((%1$s, c.id) %2$s ($4::%3$s, $5)%4$s)', key, beyond, value_type,
      case when nullable then format(' or %s is null', key) else '' end);
  end if;
  if ltrim(sort, '-') = 'position' then
    execute format(
      'select array(
         select w.id from (
           select c.id, c.position, c.search_vector
             from public.tasks c
            where c.organization_id = $1
              and c.project_id = $2
              and c.deleted_at is null
              and %1$s
            order by c.position collate "C" %2$s
            limit 4000
         ) w
          where w.search_vector @@ websearch_to_tsquery(''english'', $3)
          order by w.position collate "C" %2$s
          limit $6)',
      past_cursor, case when descending then 'desc' else 'asc' end)
      into walked
      using app.current_organization_id(), project_id, query, after_value, after_id, page_size;
    if cardinality(walked) = page_size then
      return query select unnest(walked);
      return;
    end if;
  end if;
  return query execute format(
    'with candidates as materialized (
       select t.id, t.organization_id, t.deleted_at, t.position, t.priority, t.updated_at, t.created_at, t.due_date
         from public.tasks t
        where t.project_id = $2
          and t.search_vector @@ websearch_to_tsquery(''english'', $3)
     )
     select c.id from candidates c
      where c.organization_id = $1
        and c.deleted_at is null
        and %1$s
      order by %2$s %3$s%4$s, c.id %3$s
      limit $6',
    past_cursor, key, case when descending then 'desc' else 'asc' end, case when nullable then ' nulls last' else '' end)
    using app.current_organization_id(), project_id, query, after_value, after_id, page_size;
end
$$;

-- Giving the function to the platform role takes CREATE on its schema, only for the moment.
grant create on schema app to tenantry_platform;
alter function app.matching_task_page(uuid, text, text, text, uuid, integer) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;

revoke all on function app.matching_task_page(uuid, text, text, text, uuid, integer) from public;
grant execute on function app.matching_task_page(uuid, text, text, text, uuid, integer) to tenantry_app, tenantry_platform;

-- On Citus the function's query reaches the shards from a shard-side call, as 0014 allows for
-- matching_task_ids.
do $$
begin
  if exists (select from pg_extension where extname = 'citus') then
    alter function app.matching_task_page(uuid, text, text, text, uuid, integer) set citus.allow_nested_distributed_execution = on;
  end if;
end
$$;

drop index concurrently if exists tasks_search_vector_idx;

reset statement_timeout;
reset lock_timeout;
