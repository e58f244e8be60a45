-- The RLS overhead (issue 13): app.refresh_project_access, which every transaction that reads a
-- project's rows runs once, does less.
--
-- Measured on the 1M-task bench dataset (pgbench -M prepared, the call and the COMMIT after it):
-- - without an acting user (jobs, webhooks, the RLS benchmark) it started the executor for its
--   admin test even though the test could not pass: the test was one expression with the
--   NULL checks and the EXISTS, and an expression with a subquery always runs as a query. Now a
--   plain PL/pgSQL test answers first and no query runs.
-- - with an acting user, the admin test and the two sets were three queries; now they are one
--   statement (within the noise of a loaded machine, no faster: the policy on users, not this, is
--   where a member's reads spend their time; see the README's RLS overhead section).
-- The sets, and so what anyone sees or may change, are unchanged: hidden are the organization's
-- private projects the user is not a member of; read-only adds their viewer and stakeholder
-- projects; no-comment their viewer ones; an owner or admin, or no user, has none.
set local lock_timeout = '5s';

create or replace function app.refresh_project_access(wanted text) returns uuid[]
  language plpgsql stable security invoker
  set search_path = pg_catalog
  as $$
declare
  organization uuid := app.current_organization_id();
  person uuid := app.current_user_id();
  hidden uuid[] := '{}';
  viewing uuid[] := '{}';
  following uuid[] := '{}';
begin
  -- Nothing hidden while computing: the policies of the tables read below call this function.
  -- Without an organization or an acting user these are also the answer.
  perform set_config('app.hidden_project_ids', '{}', true);
  perform set_config('app.read_only_project_ids', '{}', true);
  perform set_config('app.no_comment_project_ids', '{}', true);
  if organization is null or person is null then
    -- No query at all: a plain PL/pgSQL test starts no executor.
    return '{}';
  end if;
  -- One statement for the three sets; an owner or admin gets no row, and so empty sets.
  select coalesce((select array_agg(p.id)
                     from public.projects p
                    where p.organization_id = organization and p.visibility = 'private'
                      and not exists (select from public.project_members pm
                                       where pm.organization_id = organization and pm.project_id = p.id and pm.user_id = person)), '{}'),
         coalesce(array_agg(pm.project_id) filter (where pm.role = 'viewer'), '{}'),
         coalesce(array_agg(pm.project_id) filter (where pm.role = 'stakeholder'), '{}')
    into hidden, viewing, following
    from public.project_members pm
   where pm.organization_id = organization and pm.user_id = person and pm.role in ('viewer', 'stakeholder')
  having not exists (select from public.members m
                      where m.organization_id = organization and m.user_id = person and m.role in ('owner', 'admin'));
  if not found then
    return '{}';
  end if;
  perform set_config('app.hidden_project_ids', hidden::text, true);
  perform set_config('app.read_only_project_ids', (hidden || viewing || following)::text, true);
  perform set_config('app.no_comment_project_ids', (hidden || viewing)::text, true);
  return case wanted
    when 'hidden' then hidden
    when 'read_only' then hidden || viewing || following
    when 'no_comment' then hidden || viewing
  end;
end
$$;

-- CREATE OR REPLACE resets the function's settings: on Citus it is prepared again (0028, 0030).
select app.prepare_functions_for_citus();
