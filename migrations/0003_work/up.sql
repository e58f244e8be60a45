-- Work management: projects and their members, epics, sprints, tasks (one work-item table
-- for seed 000's tasks, seed 003's todos and seed 004's stories), comments, documents and
-- templates.

create table projects (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  name            text not null,
  -- The prefix of task references such as PROJ-42.
  key             text not null check (key ~ '^[A-Z][A-Z0-9]{1,9}$'),
  description     text,
  status          text not null default 'planning'
                  check (status in ('planning', 'active', 'on_hold', 'completed')),
  owner_id        uuid,
  created_by_id   uuid,
  start_date      date,
  end_date        date,
  settings        jsonb not null default '{}'::jsonb,
  archived_at     timestamptz,
  deleted_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, name),
  unique (organization_id, key),
  foreign key (organization_id, owner_id) references members (organization_id, user_id)
    on delete set null (owner_id),
  foreign key (organization_id, created_by_id) references members (organization_id, user_id)
    on delete set null (created_by_id),
  constraint projects_dates_check check (end_date >= start_date)
);
create index projects_organization_id_status_idx on projects (organization_id, status);
create index projects_organization_id_owner_id_idx on projects (organization_id, owner_id);
create index projects_organization_id_created_by_id_idx on projects (organization_id, created_by_id);

select app.enable_tenant_isolation('projects');

create table project_members (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  user_id         uuid not null,
  role            text not null default 'contributor'
                  check (role in ('lead', 'contributor', 'viewer', 'stakeholder')),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, project_id, user_id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  -- Leaving the organization removes the person from its projects.
  foreign key (organization_id, user_id) references members (organization_id, user_id)
    on delete cascade
);
create index project_members_organization_id_user_id_idx on project_members (organization_id, user_id);

select app.enable_tenant_isolation('project_members');

create table epics (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  title           text not null,
  description     text,
  status          text not null default 'open'
                  check (status in ('open', 'in_progress', 'done', 'canceled')),
  owner_id        uuid,
  start_date      date,
  target_date     date,
  deleted_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  -- Target of tasks' reference, which includes the project so a task's epic is always
  -- in the task's own project.
  unique (organization_id, project_id, id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, owner_id) references members (organization_id, user_id)
    on delete set null (owner_id),
  constraint epics_dates_check check (target_date >= start_date)
);
create index epics_organization_id_owner_id_idx on epics (organization_id, owner_id);

select app.enable_tenant_isolation('epics');

create table sprints (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  name            text not null,
  goal            text,
  start_date      date,
  end_date        date,
  status          text not null default 'planning'
                  check (status in ('planning', 'active', 'completed')),
  -- Story points completed in the sprint.
  velocity        integer check (velocity >= 0),
  completed_at    timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  -- Target of tasks' reference (same reason as epics).
  unique (organization_id, project_id, id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  constraint sprints_dates_check check (end_date >= start_date)
);
create unique index sprints_one_active_per_project_idx
  on sprints (organization_id, project_id) where status = 'active';

select app.enable_tenant_isolation('sprints');

create table tasks (
  organization_id     uuid not null references organizations (id) on delete cascade,
  id                  uuid not null default gen_random_uuid(),
  project_id          uuid not null,
  -- Per-project sequence number (PROJ-42); assigned by app.assign_task_number() when NULL.
  number              integer not null check (number > 0),
  type                text not null default 'task'
                      check (type in ('task', 'story', 'bug', 'chore')),
  epic_id             uuid,
  sprint_id           uuid,
  title               text not null,
  description         text,
  acceptance_criteria text,
  status              text not null default 'todo'
                      check (status in ('todo', 'in_progress', 'in_review', 'done', 'canceled')),
  priority            text not null default 'medium'
                      check (priority in ('low', 'medium', 'high', 'urgent')),
  story_points        integer check (story_points between 0 and 100),
  assignee_id         uuid,
  created_by_id       uuid,
  due_date            timestamptz,
  -- Kept by app.sync_task_completed_at(); the check below makes it agree with status.
  completed_at        timestamptz,
  -- Board order within a column; sparse values leave room to move a card between two.
  position            bigint not null default 0,
  search_vector       tsvector generated always as (
                        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                        || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
                        || setweight(to_tsvector('english'::regconfig, coalesce(acceptance_criteria, '')), 'C')
                      ) stored,
  deleted_at          timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, project_id, number),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, project_id, epic_id) references epics (organization_id, project_id, id)
    on delete set null (epic_id),
  foreign key (organization_id, project_id, sprint_id) references sprints (organization_id, project_id, id)
    on delete set null (sprint_id),
  foreign key (organization_id, assignee_id) references members (organization_id, user_id)
    on delete set null (assignee_id),
  foreign key (organization_id, created_by_id) references members (organization_id, user_id)
    on delete set null (created_by_id),
  constraint tasks_completed_at_check check ((status = 'done') = (completed_at is not null))
);
create index tasks_organization_id_project_id_status_idx on tasks (organization_id, project_id, status);
create index tasks_organization_id_assignee_id_idx on tasks (organization_id, assignee_id);
create index tasks_organization_id_created_by_id_idx on tasks (organization_id, created_by_id);
-- Lead with (organization_id, sprint_id / epic_id) for the board and backlog filters; the
-- trailing project_id makes each one cover its three-column foreign key as well.
create index tasks_organization_id_sprint_id_idx on tasks (organization_id, sprint_id, project_id);
create index tasks_organization_id_epic_id_idx on tasks (organization_id, epic_id, project_id);
create index tasks_search_vector_idx on tasks using gin (search_vector);

-- Numbers a new task max + 1 within its project. The transaction-scoped advisory lock
-- serializes concurrent inserts into one project until commit; under READ COMMITTED the
-- query below takes a fresh snapshot after the lock is granted, so it sees the previous
-- holder's committed row. The unique constraint remains the last line of defence (e.g.
-- under REPEATABLE READ, where a clash fails instead of repeating a number).
create function app.assign_task_number() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
  as $$
begin
  if new.number is null then
    perform pg_advisory_xact_lock(
      hashtextextended('tasks:' || new.organization_id::text || ':' || new.project_id::text, 0));
    select coalesce(max(t.number), 0) + 1
      into new.number
      from tasks t
     where t.organization_id = new.organization_id
       and t.project_id = new.project_id;
  end if;
  return new;
end
$$;

-- completed_at records when a task reached done: stamped on the way in (unless the caller
-- supplies it, e.g. an import), cleared on the way out.
create function app.sync_task_completed_at() returns trigger
  language plpgsql
  set search_path = pg_catalog
  as $$
begin
  if new.status = 'done' then
    new.completed_at := coalesce(new.completed_at, now());
  else
    new.completed_at := null;
  end if;
  return new;
end
$$;

create trigger assign_task_number before insert on tasks
  for each row execute function app.assign_task_number();
create trigger sync_completed_at before insert or update of status, completed_at on tasks
  for each row execute function app.sync_task_completed_at();

select app.enable_tenant_isolation('tasks');

create table comments (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  task_id         uuid not null,
  author_id       uuid,
  body            text not null,
  edited_at       timestamptz,
  deleted_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, task_id) references tasks (organization_id, id)
    on delete cascade,
  -- The discussion stays when its author leaves.
  foreign key (organization_id, author_id) references members (organization_id, user_id)
    on delete set null (author_id)
);
create index comments_organization_id_task_id_created_at_idx on comments (organization_id, task_id, created_at);
create index comments_organization_id_author_id_idx on comments (organization_id, author_id);

select app.enable_tenant_isolation('comments');

-- PRDs, specs, designs, notes and seed 002's project knowledge.
create table documents (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  title           text not null,
  slug            text not null,
  content         text not null default '',
  document_type   text not null default 'note'
                  check (document_type in ('prd', 'spec', 'design', 'note', 'knowledge', 'other')),
  status          text not null default 'draft'
                  check (status in ('draft', 'published', 'archived')),
  published_at    timestamptz,
  creator_id      uuid,
  metadata        jsonb not null default '{}'::jsonb,
  search_vector   tsvector generated always as (
                    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                    || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'B')
                  ) stored,
  deleted_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, project_id, slug),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, creator_id) references members (organization_id, user_id)
    on delete set null (creator_id),
  constraint documents_published_at_check check (status <> 'published' or published_at is not null)
);
create index documents_organization_id_creator_id_idx on documents (organization_id, creator_id);
create index documents_search_vector_idx on documents using gin (search_vector);

select app.enable_tenant_isolation('documents');

-- Templates are the one tenant table whose organization_id may be NULL: such a template is
-- public (seed 002), published by the platform and readable by every tenant. Hence a plain
-- uuid primary key and hand-written policies.
create table templates (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid references organizations (id) on delete cascade,
  name            text not null,
  description     text,
  category        text not null check (category in ('project', 'document', 'story', 'prompt')),
  content         jsonb not null default '{}'::jsonb,
  created_by_id   uuid references users (id) on delete set null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index templates_organization_id_idx on templates (organization_id);
create index templates_created_by_id_idx on templates (created_by_id);

-- The "organization_id is null" branch is deliberate: public templates are visible even
-- without a tenant context. Writes stay tied to the current tenant, so the server can
-- never create or alter a public template; the platform role does that.
alter table templates enable row level security;
alter table templates force row level security;
create policy templates_tenant_select on templates for select
  using (organization_id is null
         or organization_id = (select app.current_organization_id()));
create policy templates_tenant_insert on templates for insert
  with check (organization_id = (select app.current_organization_id()));
create policy templates_tenant_update on templates for update
  using (organization_id = (select app.current_organization_id()))
  with check (organization_id = (select app.current_organization_id()));
create policy templates_tenant_delete on templates for delete
  using (organization_id = (select app.current_organization_id()));
grant select, insert, update, delete on templates to tenantry_app, tenantry_platform;
create trigger touch_updated_at before update on templates
  for each row execute function app.touch_updated_at();
-- app.audit_row_change() skips public (NULL organization) rows itself.
create trigger audit_row_change after insert or update or delete on templates
  for each row execute function app.audit_row_change();
