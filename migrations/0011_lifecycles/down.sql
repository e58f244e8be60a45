-- Restores the unique constraints over every row, soft-deleted or not. Fails (and changes
-- nothing) while a live row and a soft-deleted one share a name, key or slug: purge or rename
-- one of them first.
set local lock_timeout = '5s';
set local statement_timeout = '5min';

drop trigger refuse_work_in_archived_project on documents;
drop trigger refuse_work_in_archived_project on epics;
drop trigger refuse_work_in_archived_project on sprints;
drop trigger refuse_work_in_archived_project on tasks;
drop function app.refuse_work_in_archived_project();
drop trigger refuse_task_in_completed_sprint on tasks;
drop function app.refuse_task_in_completed_sprint();

drop index documents_organization_id_project_id_idx;
drop index documents_organization_id_project_id_slug_key;
-- tenantry-lint-ignore constraint-without-not-valid: swapped atomically with the dropped index; documents are few per project
alter table documents add constraint documents_organization_id_project_id_slug_key unique (organization_id, project_id, slug);
drop index projects_organization_id_key_key;
-- tenantry-lint-ignore constraint-without-not-valid: swapped atomically with the dropped index; projects is small
alter table projects add constraint projects_organization_id_key_key unique (organization_id, key);
drop index projects_organization_id_name_key;
-- tenantry-lint-ignore constraint-without-not-valid: swapped atomically with the dropped index; projects is small
alter table projects add constraint projects_organization_id_name_key unique (organization_id, name);
