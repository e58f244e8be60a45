-- tenantry:no-transaction
-- A project's activity (GET …/projects/{projectId}/activity): the audit entries of the
-- project's own row, of the rows of its tables, and of the comments on its tasks, newest first.
--
-- Three indexes give each stream its order, so a page reads about a page of entries however
-- long the trail is:
-- - the rows of the project's tables, by the project id their images carry (rows without one,
--   such as members or invitations, are left out of it);
-- - the comments, whose images carry only their task id: by task, for a project with few
--   tasks, and by time alone, for a large one (see the function below).
--
-- `->>` is not LEAKPROOF, so for a role subject to RLS PostgreSQL must apply the policy first
-- and may not use an expression built on it as an index condition: as tenantry_app the page
-- read the organization's whole trail newest first (seconds for a quiet project in a 145,043-task
-- organization). app.project_activity_ids runs as tenantry_platform (BYPASSRLS), as
-- app.matching_task_ids (0008) does, and so may use these indexes; it reads the tenant only from
-- the transaction's context, never from an argument, and with no context finds nothing. It
-- returns ids only: the caller reads the entries themselves under RLS.
--
-- The indexes are built CONCURRENTLY, so writers are never blocked; that cannot run in a
-- transaction. A build that fails leaves an INVALID index behind: drop it
-- (`drop index concurrently …`) and migrate again.
set lock_timeout = '5s';
set statement_timeout = '2h';

create index concurrently if not exists audit_logs_organization_id_project_id_created_at_id_idx
  on audit_logs (organization_id, (coalesce(new_values ->> 'project_id', old_values ->> 'project_id')), created_at desc, id desc)
  where coalesce(new_values ->> 'project_id', old_values ->> 'project_id') is not null;

create index concurrently if not exists audit_logs_organization_id_comment_task_id_created_at_id_idx
  on audit_logs (organization_id, (coalesce(new_values ->> 'task_id', old_values ->> 'task_id')), created_at desc, id desc)
  where resource_type = 'comments';

create index concurrently if not exists audit_logs_organization_id_comments_created_at_id_idx
  on audit_logs (organization_id, created_at desc, id desc)
  where resource_type = 'comments';

reset statement_timeout;

-- One page of a project's activity, newest first, after (before_at, before_id) when given.
-- The comments are found one of two ways, whichever reads less: task by task through the
-- project's tasks while it has fewer than per_task_below of them, else the organization's
-- comment entries newest first, each kept when its task is the project's. Either way costs
-- about per_task_below index probes at worst, but for a large project that has been quiet
-- while the rest of its organization was busy.
create or replace function app.project_activity_ids(
  project_id uuid, before_at timestamptz, before_id uuid, page_size integer, per_task_below integer default 2000
) returns setof uuid
  language plpgsql stable security definer
  set search_path = pg_catalog
  rows 51
  as $$
declare
  project_tasks integer;
  -- Each stream: newest first from its index, after the cursor, cut at the page size.
  stream constant text :=
    '(select a.id, a.created_at from public.audit_logs a
       where a.organization_id = $1 and %s
         and ($3::timestamptz is null or (a.created_at, a.id) < ($3, $4))
       order by a.created_at desc, a.id desc limit $5)';
  task_of_comment constant text := '(coalesce(a.new_values ->> ''task_id'', a.old_values ->> ''task_id''))';
  comments text;
begin
  execute 'select count(*) from (select from public.tasks t where t.organization_id = $1 and t.project_id = $2 limit $3) capped'
    into project_tasks
    using app.current_organization_id(), project_id, per_task_below;
  if project_tasks < per_task_below then
    comments := format(
      '(select c.id, c.created_at from public.tasks t
         cross join lateral %s c
         where t.organization_id = $1 and t.project_id = $2
         order by c.created_at desc, c.id desc limit $5)',
      format(stream, format('a.resource_type = ''comments'' and %s = t.id::text', task_of_comment)));
  else
    -- A scalar subquery, not EXISTS: PostgreSQL would turn EXISTS into a join, and may then
    -- hash the whole organization's comments before keeping a page of them.
    comments := format(stream, format(
      'a.resource_type = ''comments''
       and (select t.project_id from public.tasks t where t.organization_id = $1 and t.id = %s::uuid) = $2',
      task_of_comment));
  end if;
  -- EXECUTE plans with the actual values, so a first page's cursor test folds away.
  return query execute format(
    'select e.id from (%s union all %s union all %s) e order by e.created_at desc, e.id desc limit $5',
    format(stream, 'coalesce(a.new_values ->> ''project_id'', a.old_values ->> ''project_id'') = $2::text
                    and a.resource_type in (''tasks'', ''sprints'', ''epics'', ''documents'', ''project_members'', ''project_assets'')'),
    format(stream, 'a.resource_type = ''projects'' and a.resource_id = $2'),
    comments)
    using app.current_organization_id(), project_id, before_at, before_id, page_size;
end
$$;

-- Giving the function to the platform role takes CREATE on its schema, only for the moment.
grant create on schema app to tenantry_platform;
alter function app.project_activity_ids(uuid, timestamptz, uuid, integer, integer) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;

revoke all on function app.project_activity_ids(uuid, timestamptz, uuid, integer, integer) from public;
grant execute on function app.project_activity_ids(uuid, timestamptz, uuid, integer, integer) to tenantry_app, tenantry_platform;

reset lock_timeout;
