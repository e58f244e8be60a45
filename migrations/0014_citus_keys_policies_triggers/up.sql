-- Citus (issue 14), part 1: keys, policies and functions that work on a distributed cluster as
-- they do on one PostgreSQL or PGlite.
--
-- 1. `ON DELETE SET NULL (col)` on a key that includes organization_id is refused by Citus
--    (the distribution column is in the key). The 20 such keys become NO ACTION, and whatever
--    deletes a member, project, AI provider, epic or sprint first clears the references to it
--    in the same transaction (src/db/cleared-references.ts): the same outcome, done by the
--    application instead of by the key.
-- 2. sessions.active_organization_id keeps no foreign key: sessions is a platform (reference)
--    table, and a reference table may not reference a distributed one. A session naming a
--    deleted organization is harmless: membership is checked on every request.
-- 3. Policies hold no subqueries (Citus refuses them): membership is asked of two functions.
-- 4. Functions that run on a shard (triggers, search, the membership checks) may query the
--    tenant's own co-located rows (app.prepare_functions_for_citus, below).
-- 5. The audit trail names the logical table, not a shard (`tasks`, not `tasks_102966`).
set local lock_timeout = '5s';
set local statement_timeout = '30min';

alter table ai_generations drop constraint ai_generations_organization_id_ai_provider_id_fkey;
alter table ai_generations add constraint ai_generations_organization_id_ai_provider_id_fkey
  foreign key (organization_id, ai_provider_id) references ai_providers (organization_id, id) not valid;
alter table ai_generations drop constraint ai_generations_organization_id_project_id_fkey;
alter table ai_generations add constraint ai_generations_organization_id_project_id_fkey
  foreign key (organization_id, project_id) references projects (organization_id, id) not valid;
alter table ai_generations drop constraint ai_generations_organization_id_user_id_fkey;
alter table ai_generations add constraint ai_generations_organization_id_user_id_fkey
  foreign key (organization_id, user_id) references members (organization_id, user_id) not valid;
alter table ai_providers drop constraint ai_providers_organization_id_created_by_id_fkey;
alter table ai_providers add constraint ai_providers_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) not valid;
alter table comments drop constraint comments_organization_id_author_id_fkey;
alter table comments add constraint comments_organization_id_author_id_fkey
  foreign key (organization_id, author_id) references members (organization_id, user_id) not valid;
alter table documents drop constraint documents_organization_id_creator_id_fkey;
alter table documents add constraint documents_organization_id_creator_id_fkey
  foreign key (organization_id, creator_id) references members (organization_id, user_id) not valid;
alter table epics drop constraint epics_organization_id_owner_id_fkey;
alter table epics add constraint epics_organization_id_owner_id_fkey
  foreign key (organization_id, owner_id) references members (organization_id, user_id) not valid;
alter table gaps drop constraint gaps_organization_id_identified_by_id_fkey;
alter table gaps add constraint gaps_organization_id_identified_by_id_fkey
  foreign key (organization_id, identified_by_id) references members (organization_id, user_id) not valid;
alter table integrations drop constraint integrations_organization_id_created_by_id_fkey;
alter table integrations add constraint integrations_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) not valid;
alter table invitations drop constraint invitations_organization_id_inviter_id_fkey;
alter table invitations add constraint invitations_organization_id_inviter_id_fkey
  foreign key (organization_id, inviter_id) references members (organization_id, user_id) not valid;
alter table predictions drop constraint predictions_organization_id_created_by_id_fkey;
alter table predictions add constraint predictions_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) not valid;
alter table project_assets drop constraint project_assets_organization_id_uploaded_by_id_fkey;
alter table project_assets add constraint project_assets_organization_id_uploaded_by_id_fkey
  foreign key (organization_id, uploaded_by_id) references members (organization_id, user_id) not valid;
alter table project_prompts drop constraint project_prompts_organization_id_user_id_fkey;
alter table project_prompts add constraint project_prompts_organization_id_user_id_fkey
  foreign key (organization_id, user_id) references members (organization_id, user_id) not valid;
alter table projects drop constraint projects_organization_id_created_by_id_fkey;
alter table projects add constraint projects_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) not valid;
alter table projects drop constraint projects_organization_id_owner_id_fkey;
alter table projects add constraint projects_organization_id_owner_id_fkey
  foreign key (organization_id, owner_id) references members (organization_id, user_id) not valid;
alter table task_sprint_states drop constraint task_sprint_states_organization_id_sprint_id_fkey;
alter table task_sprint_states add constraint task_sprint_states_organization_id_sprint_id_fkey
  foreign key (organization_id, sprint_id) references sprints (organization_id, id) not valid;
alter table tasks drop constraint tasks_organization_id_assignee_id_fkey;
alter table tasks add constraint tasks_organization_id_assignee_id_fkey
  foreign key (organization_id, assignee_id) references members (organization_id, user_id) not valid;
alter table tasks drop constraint tasks_organization_id_created_by_id_fkey;
alter table tasks add constraint tasks_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) not valid;
alter table tasks drop constraint tasks_organization_id_project_id_epic_id_fkey;
alter table tasks add constraint tasks_organization_id_project_id_epic_id_fkey
  foreign key (organization_id, project_id, epic_id) references epics (organization_id, project_id, id) not valid;
alter table tasks drop constraint tasks_organization_id_project_id_sprint_id_fkey;
alter table tasks add constraint tasks_organization_id_project_id_sprint_id_fkey
  foreign key (organization_id, project_id, sprint_id) references sprints (organization_id, project_id, id) not valid;
alter table ai_generations validate constraint ai_generations_organization_id_ai_provider_id_fkey;
alter table ai_generations validate constraint ai_generations_organization_id_project_id_fkey;
alter table ai_generations validate constraint ai_generations_organization_id_user_id_fkey;
alter table ai_providers validate constraint ai_providers_organization_id_created_by_id_fkey;
alter table comments validate constraint comments_organization_id_author_id_fkey;
alter table documents validate constraint documents_organization_id_creator_id_fkey;
alter table epics validate constraint epics_organization_id_owner_id_fkey;
alter table gaps validate constraint gaps_organization_id_identified_by_id_fkey;
alter table integrations validate constraint integrations_organization_id_created_by_id_fkey;
alter table invitations validate constraint invitations_organization_id_inviter_id_fkey;
alter table predictions validate constraint predictions_organization_id_created_by_id_fkey;
alter table project_assets validate constraint project_assets_organization_id_uploaded_by_id_fkey;
alter table project_prompts validate constraint project_prompts_organization_id_user_id_fkey;
alter table projects validate constraint projects_organization_id_created_by_id_fkey;
alter table projects validate constraint projects_organization_id_owner_id_fkey;
alter table task_sprint_states validate constraint task_sprint_states_organization_id_sprint_id_fkey;
alter table tasks validate constraint tasks_organization_id_assignee_id_fkey;
alter table tasks validate constraint tasks_organization_id_created_by_id_fkey;
alter table tasks validate constraint tasks_organization_id_project_id_epic_id_fkey;
alter table tasks validate constraint tasks_organization_id_project_id_sprint_id_fkey;

alter table sessions drop constraint sessions_active_organization_id_fkey;

-- Whether the acting user belongs to an organization / shares the current one with a user.
-- SECURITY DEFINER as tenantry_platform: they read memberships outside the current tenant's
-- RLS, but only ever about the acting user or the current organization, both from the
-- transaction's own context. PL/pgSQL, not SQL: Citus cannot plan a SQL function's parameters.
create function app.acting_user_is_member(organization uuid) returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
  as $$
begin
  return exists (select 1 from public.members m
                  where m.organization_id = organization and m.user_id = app.current_user_id());
end
$$;

-- The organization goes into the query as a value, not as a call: Citus routes a query by the
-- value of its distribution column, so the check reads one shard, on the node it runs on.
create function app.is_member_of_current_organization(person uuid) returns boolean
  language plpgsql stable security definer
  set search_path = pg_catalog
  as $$
declare
  organization uuid := app.current_organization_id();
begin
  return exists (select 1 from public.members m
                  where m.organization_id = organization and m.user_id = person);
end
$$;

grant create on schema app to tenantry_platform;
alter function app.acting_user_is_member(uuid) owner to tenantry_platform;
alter function app.is_member_of_current_organization(uuid) owner to tenantry_platform;
revoke create on schema app from tenantry_platform;
revoke all on function app.acting_user_is_member(uuid), app.is_member_of_current_organization(uuid) from public;
grant execute on function app.acting_user_is_member(uuid), app.is_member_of_current_organization(uuid)
  to tenantry_app, tenantry_platform;

alter policy organizations_tenant_select on organizations
  using (id = app.current_organization_id() or app.acting_user_is_member(id));
alter policy users_member_select on users
  using (id = app.current_user_id() or app.is_member_of_current_organization(id));

-- The table a trigger fired on, as the application knows it: on a Citus worker a trigger
-- fires on a shard (tasks_102966), which pg_dist_shard maps back to its table.
create function app.logical_table_name(relation_name name) returns text
  language plpgsql stable
  set search_path = pg_catalog
  as $$
declare
  logical text;
begin
  if relation_name ~ '_[0-9]+$' and to_regclass('pg_catalog.pg_dist_shard') is not null then
    execute 'select c.relname::text
               from pg_catalog.pg_dist_shard s
               join pg_catalog.pg_class c on c.oid = s.logicalrelid
              where s.shardid = $1 and c.relname::text || ''_'' || s.shardid::text = $2'
       into logical
      using substring(relation_name from '_([0-9]+)$')::bigint, relation_name::text;
  end if;
  return coalesce(logical, relation_name::text);
end
$$;
grant execute on function app.logical_table_name(name) to tenantry_app, tenantry_platform;

-- 0009's function, naming the logical table.
create or replace function app.audit_row_change() returns trigger
  language plpgsql
  security invoker
  set search_path = pg_catalog, public
  as $$
declare
  old_values jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_values jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  row_values jsonb := coalesce(new_values, old_values);
  tenant_id uuid := (row_values ->> coalesce(tg_argv[0], 'organization_id'))::uuid;
  changed text[];
begin
  -- Rows without a tenant have no trail to belong to.
  if tenant_id is null then
    return null;
  end if;

  if tg_op = 'UPDATE' then
    select array_agg(n.key order by n.key)
      into changed
      from jsonb_each(new_values) as n
     where n.key not in ('updated_at', 'search_vector')
       and n.value is distinct from old_values -> n.key;
    -- A touch that changed nothing but updated_at is not an event.
    if changed is null then
      return null;
    end if;
  end if;

  insert into audit_logs (
    organization_id, actor_user_id, action, resource_type, resource_id,
    changed_fields, old_values, new_values, request_id, ip_address, user_agent
  ) values (
    tenant_id, app.current_user_id(), lower(tg_op), app.logical_table_name(tg_table_name), (row_values ->> 'id')::uuid,
    changed, app.redact_audit_values(old_values), app.redact_audit_values(new_values),
    app.current_request_id(),
    -- A lapsed setting reads as the empty string, like the other context settings.
    nullif(current_setting('app.ip_address', true), '')::inet,
    nullif(current_setting('app.user_agent', true), '')
  );
  return null;
end
$$;

-- Functions that run on a shard (from a shard's trigger, policy or query) and read or write
-- the tenant's own rows: Citus allows that only where citus.allow_nested_distributed_execution
-- is on, and only the owner of a registered parameter may attach it to a function, so it is
-- attached where Citus is installed: here, and again by `tenantry db distribute`, which calls
-- this after installing Citus into a database that did not have it. Each of them reads one
-- organization's rows, whose shards are co-located on the node the call runs on.
create function app.prepare_functions_for_citus() returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  fn regprocedure;
begin
  if not exists (select from pg_extension where extname = 'citus') then
    return;
  end if;
  foreach fn in array array[
    'app.audit_row_change()', 'app.assign_task_number()', 'app.assign_task_position()',
    'app.refuse_task_in_completed_sprint()', 'app.refuse_work_in_archived_project()',
    'app.record_task_sprint_state()', 'app.matching_task_ids(uuid, text)',
    'app.acting_user_is_member(uuid)', 'app.is_member_of_current_organization(uuid)'
  ]::regprocedure[] loop
    execute format('alter function %s set citus.allow_nested_distributed_execution = on', fn);
  end loop;
end
$$;
revoke execute on function app.prepare_functions_for_citus() from public;
select app.prepare_functions_for_citus();
