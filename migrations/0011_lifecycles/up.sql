-- Lifecycles that match the words (issue 10).
--
-- 1. A soft-deleted project or document no longer reserves its name, key or slug: the unique
--    constraints become unique indexes over live rows only. They keep the constraints' names,
--    so an error that names the index still names the field. A soft-deleted task keeps its
--    number on purpose: PROJ-42 must never point at a second task.
-- 2. A completed sprint accepts no new tasks, and an archived project accepts no new tasks,
--    sprints, epics or documents. Triggers enforce both, so every path that writes a task
--    (create, patch, bulk edit, move, import) is covered. They raise SQLSTATE TL409, which the
--    HTTP layer answers with 409 conflict and the trigger's message.
--    The rules bind tenant work, which always runs as tenantry_app. The seed, tenant imports and
--    restores write history as it was (a completed sprint with its tasks), as tenantry_platform
--    or the owner, and pass.
set local lock_timeout = '5s';
set local statement_timeout = '5min';

-- The old index goes and the new one comes in the same transaction, so there is no moment
-- without uniqueness; CONCURRENTLY cannot run in a transaction and would open that window.
alter table projects drop constraint projects_organization_id_name_key;
-- tenantry-lint-ignore index-without-concurrently: swapped atomically with the dropped constraint; projects is small (one row per project)
create unique index projects_organization_id_name_key
  on projects (organization_id, name) where deleted_at is null;
alter table projects drop constraint projects_organization_id_key_key;
-- tenantry-lint-ignore index-without-concurrently: swapped atomically with the dropped constraint; projects is small (one row per project)
create unique index projects_organization_id_key_key
  on projects (organization_id, key) where deleted_at is null;
alter table documents drop constraint documents_organization_id_project_id_slug_key;
-- tenantry-lint-ignore index-without-concurrently: swapped atomically with the dropped constraint; documents are few per project
create unique index documents_organization_id_project_id_slug_key
  on documents (organization_id, project_id, slug) where deleted_at is null;
-- The constraint's index also served the project foreign key; a partial index cannot.
-- tenantry-lint-ignore index-without-concurrently: replaces the dropped constraint's index in the same transaction; documents are few per project
create index documents_organization_id_project_id_idx on documents (organization_id, project_id);

-- FOR SHARE holds the sprint until this transaction ends, so a sprint that completes
-- concurrently waits for the task to land (and then moves it out with the other unfinished
-- tasks), or the task waits and sees the sprint completed.
create function app.refuse_task_in_completed_sprint() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
  as $$
declare
  sprint_name text;
begin
  if current_user <> 'tenantry_app' then
    return new;
  end if;
  if new.sprint_id is null or (tg_op = 'UPDATE' and new.sprint_id is not distinct from old.sprint_id) then
    return new;
  end if;
  select s.name into sprint_name
    from sprints s
   where s.organization_id = new.organization_id and s.id = new.sprint_id and s.status = 'completed'
     for share;
  if found then
    raise exception using
      errcode = 'TL409',
      message = format('sprint "%s" is completed and accepts no new tasks; choose a planning or active sprint, or the backlog', sprint_name);
  end if;
  return new;
end
$$;

create trigger refuse_task_in_completed_sprint before insert or update of sprint_id on tasks
  for each row execute function app.refuse_task_in_completed_sprint();

-- Same locking as above: archiving waits for work being added, or the work sees the archive.
create function app.refuse_work_in_archived_project() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
  as $$
declare
  project_name text;
begin
  if current_user <> 'tenantry_app' then
    return new;
  end if;
  select p.name into project_name
    from projects p
   where p.organization_id = new.organization_id and p.id = new.project_id and p.archived_at is not null
     for share;
  if found then
    raise exception using
      errcode = 'TL409',
      message = format('project "%s" is archived and accepts no new %s; unarchive it first', project_name, tg_table_name);
  end if;
  return new;
end
$$;

create trigger refuse_work_in_archived_project before insert on tasks
  for each row execute function app.refuse_work_in_archived_project();
create trigger refuse_work_in_archived_project before insert on sprints
  for each row execute function app.refuse_work_in_archived_project();
create trigger refuse_work_in_archived_project before insert on epics
  for each row execute function app.refuse_work_in_archived_project();
create trigger refuse_work_in_archived_project before insert on documents
  for each row execute function app.refuse_work_in_archived_project();
