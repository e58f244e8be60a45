-- Reverses 0039_task_search_page_filters: the page function as 0027 wrote it, without filters.
set local lock_timeout = '5s';

drop function app.matching_task_page(uuid, text, text, text, uuid, integer, text[], text[], text[], uuid[], boolean, uuid[], boolean, uuid[], boolean, date, integer);

create function app.matching_task_page(project_id uuid, query text, sort text, after_value text, after_id uuid, page_size integer)
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

grant create on schema app to tenantry_platform;
alter function app.matching_task_page(uuid, text, text, text, uuid, integer) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;

revoke all on function app.matching_task_page(uuid, text, text, text, uuid, integer) from public;
grant execute on function app.matching_task_page(uuid, text, text, text, uuid, integer) to tenantry_app, tenantry_platform;

select app.prepare_functions_for_citus();
