-- Search combined with the list's other filters, one page at a time. 0027's
-- app.matching_task_page cut a plain search to a page inside the function, but a search with a
-- status, type, priority, assignee, sprint, epic, due date or task number as well still asked
-- app.matching_task_ids for every match (5,693 for a common word in a 152,542-task project) and
-- left the list to read, filter and sort them all.
--
-- The page function now takes those filters too, as bound parameters (arrays, a flag for
-- "none", nulls for a filter not asked for), and applies them with the word before the sort, the
-- cursor and the page size, so the list reads only a page of tasks whatever it filters on. Each
-- condition is one of the fixed texts below, added to the query when its filter is given; the
-- values never become SQL text. The conditions are those of the list
-- (src/features/tasks/repository.ts, listConditions), which applies them again to the page.
-- They name columns without a table: each query they join reads one relation. Among the word's
-- candidates they are applied as each row is read, so only the rows they keep are materialized
-- (a status with 614 of 5,801 matches: 13–25 ms against 41 ms, measured on the benchmark copy).
set local lock_timeout = '5s';

drop function app.matching_task_page(uuid, text, text, text, uuid, integer);

create function app.matching_task_page(
  project_id uuid, query text, sort text, after_value text, after_id uuid, page_size integer,
  statuses text[] default null, types text[] default null, priorities text[] default null,
  assignee_ids uuid[] default null, no_assignee boolean default false,
  sprint_ids uuid[] default null, no_sprint boolean default false,
  epic_ids uuid[] default null, no_epic boolean default false,
  due_before date default null, task_number integer default null)
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
  filters text := '';
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
  if statuses is not null then filters := filters || ' and status = any($7)'; end if;
  if types is not null then filters := filters || ' and type = any($8)'; end if;
  if priorities is not null then filters := filters || ' and priority = any($9)'; end if;
  if assignee_ids is not null or no_assignee then
    filters := filters || ' and (assignee_id = any($10) or ($11 and assignee_id is null))';
  end if;
  if sprint_ids is not null or no_sprint then
    filters := filters || ' and (sprint_id = any($12) or ($13 and sprint_id is null))';
  end if;
  if epic_ids is not null or no_epic then
    filters := filters || ' and (epic_id = any($14) or ($15 and epic_id is null))';
  end if;
  if due_before is not null then filters := filters || ' and due_date < $16'; end if;
  if task_number is not null then filters := filters || ' and number = $17'; end if;
  if ltrim(sort, '-') = 'position' then
    execute format(
      'select array(
         select w.id from (
           select c.id, c.position, c.search_vector, c.status, c.type, c.priority, c.assignee_id,
                  c.sprint_id, c.epic_id, c.due_date, c.number
             from public.tasks c
            where c.organization_id = $1
              and c.project_id = $2
              and c.deleted_at is null
              and %1$s
            order by c.position collate "C" %2$s
            limit 4000
         ) w
          where w.search_vector @@ websearch_to_tsquery(''english'', $3)%3$s
          order by w.position collate "C" %2$s
          limit $6)',
      past_cursor, case when descending then 'desc' else 'asc' end, filters)
      into walked
      using app.current_organization_id(), project_id, query, after_value, after_id, page_size,
        statuses, types, priorities, assignee_ids, no_assignee, sprint_ids, no_sprint, epic_ids, no_epic,
        due_before, task_number;
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
          and t.search_vector @@ websearch_to_tsquery(''english'', $3)%5$s
     )
     select c.id from candidates c
      where c.organization_id = $1
        and c.deleted_at is null
        and %1$s
      order by %2$s %3$s%4$s, c.id %3$s
      limit $6',
    past_cursor, key, case when descending then 'desc' else 'asc' end, case when nullable then ' nulls last' else '' end, filters)
    using app.current_organization_id(), project_id, query, after_value, after_id, page_size,
      statuses, types, priorities, assignee_ids, no_assignee, sprint_ids, no_sprint, epic_ids, no_epic,
      due_before, task_number;
end
$$;

-- Giving the function to the platform role takes CREATE on its schema, only for the moment.
grant create on schema app to tenantry_platform;
alter function app.matching_task_page(uuid, text, text, text, uuid, integer, text[], text[], text[], uuid[], boolean, uuid[], boolean, uuid[], boolean, date, integer)
  owner to tenantry_platform;
revoke create on schema app from tenantry_platform;

revoke all on function app.matching_task_page(uuid, text, text, text, uuid, integer, text[], text[], text[], uuid[], boolean, uuid[], boolean, uuid[], boolean, date, integer) from public;
grant execute on function app.matching_task_page(uuid, text, text, text, uuid, integer, text[], text[], text[], uuid[], boolean, uuid[], boolean, uuid[], boolean, date, integer)
  to tenantry_app, tenantry_platform;

-- On Citus the function's query reaches the shards from a shard-side call (0014, 0028).
select app.prepare_functions_for_citus();
