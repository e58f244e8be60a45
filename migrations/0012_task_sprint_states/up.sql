-- Sprint burndown and velocity (issue 12): the state of every task over time, as far as a
-- sprint's charts care (its sprint, status, points, deletion).
--
-- Why a table rather than reading audit_logs at query time: finding the tasks that were ever in
-- a sprint would mean searching the jsonb old/new values of every task's audit rows in the
-- tenant, and the audit trail may be purged or redacted. Here one row per change holds the
-- state from `valid_from` until the task's next row, written by a trigger on tasks, so a
-- sprint's tasks are an index range and a day's state one span per task.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

create table task_sprint_states (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  task_id         uuid not null,
  sprint_id       uuid,
  status          text not null
                  check (status in ('todo', 'in_progress', 'in_review', 'done', 'canceled')),
  story_points    integer,
  deleted         boolean not null default false,
  -- From when this state held; it holds until the task's next row.
  valid_from      timestamptz not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, task_id) references tasks (organization_id, id)
    on delete cascade,
  -- A deleted sprint leaves the task's timeline whole (the task was somewhere then).
  foreign key (organization_id, sprint_id) references sprints (organization_id, id)
    on delete set null (sprint_id)
);

-- The tasks that were ever in a sprint.
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index task_sprint_states_organization_id_sprint_id_idx
  on task_sprint_states (organization_id, sprint_id, task_id);
-- A task's timeline, in order.
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index task_sprint_states_organization_id_task_id_idx
  on task_sprint_states (organization_id, task_id, valid_from);

-- clock_timestamp(), not now(): several changes in one transaction keep their order.
create function app.record_task_sprint_state() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
  as $$
begin
  if tg_op = 'UPDATE'
     and new.sprint_id is not distinct from old.sprint_id
     and new.status is not distinct from old.status
     and new.story_points is not distinct from old.story_points
     and (new.deleted_at is null) = (old.deleted_at is null) then
    return null;
  end if;
  insert into task_sprint_states (organization_id, task_id, sprint_id, status, story_points, deleted, valid_from)
  values (new.organization_id, new.id, new.sprint_id, new.status, new.story_points, new.deleted_at is not null, clock_timestamp());
  return null;
end
$$;

create trigger record_task_sprint_state after insert or update of sprint_id, status, story_points, deleted_at on tasks
  for each row execute function app.record_task_sprint_state();

-- RLS is forced on the tables read below, which would hide every row from the owner running this.
alter table tasks no force row level security;
alter table sprints no force row level security;
alter table audit_logs no force row level security;

-- Backfill from the audit trail: each task's insert and each update that touched one of the
-- four fields, with the row as it was written then. A sprint deleted since is left out.
insert into task_sprint_states (organization_id, task_id, sprint_id, status, story_points, deleted, valid_from)
select a.organization_id, t.id, s.id, coalesce(a.new_values ->> 'status', t.status),
       (a.new_values ->> 'story_points')::integer, a.new_values ->> 'deleted_at' is not null, a.created_at
  from audit_logs a
  join tasks t on t.organization_id = a.organization_id and t.id = a.resource_id
  left join sprints s on s.organization_id = a.organization_id and s.id = (a.new_values ->> 'sprint_id')::uuid
 where a.resource_type = 'tasks'
   and (a.action = 'insert'
        or (a.action = 'update' and a.changed_fields && array['sprint_id', 'status', 'story_points', 'deleted_at']));

-- Tasks whose insert is not in the trail (loaded without auditing, or purged): their first
-- known state from when they were created, the state before their earliest audited change if
-- there is one, else the task as it is now.
insert into task_sprint_states (organization_id, task_id, sprint_id, status, story_points, deleted, valid_from)
select t.organization_id, t.id, s.id,
       coalesce(first_change.old_values ->> 'status', t.status),
       case when first_change.old_values is null then t.story_points else (first_change.old_values ->> 'story_points')::integer end,
       case when first_change.old_values is null then t.deleted_at is not null else first_change.old_values ->> 'deleted_at' is not null end,
       t.created_at
  from tasks t
  left join lateral (
    select a.old_values
      from audit_logs a
     where a.organization_id = t.organization_id and a.resource_type = 'tasks' and a.resource_id = t.id
       and a.action = 'update' and a.changed_fields && array['sprint_id', 'status', 'story_points', 'deleted_at']
     order by a.created_at, a.id
     limit 1
  ) first_change on true
  left join sprints s
    on s.organization_id = t.organization_id
   and s.id = case when first_change.old_values is null then t.sprint_id else (first_change.old_values ->> 'sprint_id')::uuid end
 where not exists (
   select from audit_logs a
    where a.organization_id = t.organization_id and a.resource_type = 'tasks' and a.resource_id = t.id and a.action = 'insert'
 );

alter table audit_logs force row level security;
alter table sprints force row level security;
alter table tasks force row level security;

select app.enable_tenant_isolation('task_sprint_states');
-- Derived from tasks, whose every change is already audited: auditing this table too would
-- write a second trail row per task change (db validate lists it as deliberately unaudited).
drop trigger audit_row_change on task_sprint_states;
