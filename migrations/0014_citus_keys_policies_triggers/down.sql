-- Reverses 0014_citus_keys_policies_triggers.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- Only where Citus attached it; elsewhere the functions carry no such setting.
do $$
declare
  fn regprocedure;
begin
  if exists (select from pg_extension where extname = 'citus') then
    foreach fn in array array[
      'app.assign_task_number()', 'app.assign_task_position()', 'app.refuse_task_in_completed_sprint()',
      'app.refuse_work_in_archived_project()', 'app.record_task_sprint_state()', 'app.matching_task_ids(uuid, text)'
    ]::regprocedure[] loop
      execute format('alter function %s reset citus.allow_nested_distributed_execution', fn);
    end loop;
  end if;
end
$$;
drop function app.prepare_functions_for_citus();

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
  -- Rows without a tenant (public templates) have no trail to belong to.
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
    tenant_id, app.current_user_id(), lower(tg_op), tg_table_name, (row_values ->> 'id')::uuid,
    changed, app.redact_audit_values(old_values), app.redact_audit_values(new_values),
    app.current_request_id(),
    -- A lapsed setting reads as the empty string, like the other context settings.
    nullif(current_setting('app.ip_address', true), '')::inet,
    nullif(current_setting('app.user_agent', true), '')
  );
  return null;
end
$$;

drop function app.logical_table_name(name);

alter policy organizations_tenant_select on organizations
  using (id = app.current_organization_id()
         or id in (select m.organization_id from members m where m.user_id = app.current_user_id()));
alter policy users_member_select on users
  using (id = app.current_user_id()
         or id in (select m.user_id from members m where m.organization_id = app.current_organization_id()));
drop function app.acting_user_is_member(uuid);
drop function app.is_member_of_current_organization(uuid);

alter table sessions
  add constraint sessions_active_organization_id_fkey
  foreign key (active_organization_id) references organizations (id) on delete set null not valid;
alter table sessions validate constraint sessions_active_organization_id_fkey;

alter table ai_generations drop constraint ai_generations_organization_id_ai_provider_id_fkey;
alter table ai_generations add constraint ai_generations_organization_id_ai_provider_id_fkey
  foreign key (organization_id, ai_provider_id) references ai_providers (organization_id, id) on delete set null (ai_provider_id) not valid;
alter table ai_generations drop constraint ai_generations_organization_id_project_id_fkey;
alter table ai_generations add constraint ai_generations_organization_id_project_id_fkey
  foreign key (organization_id, project_id) references projects (organization_id, id) on delete set null (project_id) not valid;
alter table ai_generations drop constraint ai_generations_organization_id_user_id_fkey;
alter table ai_generations add constraint ai_generations_organization_id_user_id_fkey
  foreign key (organization_id, user_id) references members (organization_id, user_id) on delete set null (user_id) not valid;
alter table ai_providers drop constraint ai_providers_organization_id_created_by_id_fkey;
alter table ai_providers add constraint ai_providers_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) on delete set null (created_by_id) not valid;
alter table comments drop constraint comments_organization_id_author_id_fkey;
alter table comments add constraint comments_organization_id_author_id_fkey
  foreign key (organization_id, author_id) references members (organization_id, user_id) on delete set null (author_id) not valid;
alter table documents drop constraint documents_organization_id_creator_id_fkey;
alter table documents add constraint documents_organization_id_creator_id_fkey
  foreign key (organization_id, creator_id) references members (organization_id, user_id) on delete set null (creator_id) not valid;
alter table epics drop constraint epics_organization_id_owner_id_fkey;
alter table epics add constraint epics_organization_id_owner_id_fkey
  foreign key (organization_id, owner_id) references members (organization_id, user_id) on delete set null (owner_id) not valid;
alter table gaps drop constraint gaps_organization_id_identified_by_id_fkey;
alter table gaps add constraint gaps_organization_id_identified_by_id_fkey
  foreign key (organization_id, identified_by_id) references members (organization_id, user_id) on delete set null (identified_by_id) not valid;
alter table integrations drop constraint integrations_organization_id_created_by_id_fkey;
alter table integrations add constraint integrations_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) on delete set null (created_by_id) not valid;
alter table invitations drop constraint invitations_organization_id_inviter_id_fkey;
alter table invitations add constraint invitations_organization_id_inviter_id_fkey
  foreign key (organization_id, inviter_id) references members (organization_id, user_id) on delete set null (inviter_id) not valid;
alter table predictions drop constraint predictions_organization_id_created_by_id_fkey;
alter table predictions add constraint predictions_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) on delete set null (created_by_id) not valid;
alter table project_assets drop constraint project_assets_organization_id_uploaded_by_id_fkey;
alter table project_assets add constraint project_assets_organization_id_uploaded_by_id_fkey
  foreign key (organization_id, uploaded_by_id) references members (organization_id, user_id) on delete set null (uploaded_by_id) not valid;
alter table project_prompts drop constraint project_prompts_organization_id_user_id_fkey;
alter table project_prompts add constraint project_prompts_organization_id_user_id_fkey
  foreign key (organization_id, user_id) references members (organization_id, user_id) on delete set null (user_id) not valid;
alter table projects drop constraint projects_organization_id_created_by_id_fkey;
alter table projects add constraint projects_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) on delete set null (created_by_id) not valid;
alter table projects drop constraint projects_organization_id_owner_id_fkey;
alter table projects add constraint projects_organization_id_owner_id_fkey
  foreign key (organization_id, owner_id) references members (organization_id, user_id) on delete set null (owner_id) not valid;
alter table task_sprint_states drop constraint task_sprint_states_organization_id_sprint_id_fkey;
alter table task_sprint_states add constraint task_sprint_states_organization_id_sprint_id_fkey
  foreign key (organization_id, sprint_id) references sprints (organization_id, id) on delete set null (sprint_id) not valid;
alter table tasks drop constraint tasks_organization_id_assignee_id_fkey;
alter table tasks add constraint tasks_organization_id_assignee_id_fkey
  foreign key (organization_id, assignee_id) references members (organization_id, user_id) on delete set null (assignee_id) not valid;
alter table tasks drop constraint tasks_organization_id_created_by_id_fkey;
alter table tasks add constraint tasks_organization_id_created_by_id_fkey
  foreign key (organization_id, created_by_id) references members (organization_id, user_id) on delete set null (created_by_id) not valid;
alter table tasks drop constraint tasks_organization_id_project_id_epic_id_fkey;
alter table tasks add constraint tasks_organization_id_project_id_epic_id_fkey
  foreign key (organization_id, project_id, epic_id) references epics (organization_id, project_id, id) on delete set null (epic_id) not valid;
alter table tasks drop constraint tasks_organization_id_project_id_sprint_id_fkey;
alter table tasks add constraint tasks_organization_id_project_id_sprint_id_fkey
  foreign key (organization_id, project_id, sprint_id) references sprints (organization_id, project_id, id) on delete set null (sprint_id) not valid;
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
