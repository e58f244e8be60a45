-- Reverses 0013_task_attachments: a file of a task takes the web app's `[KEY-N] ` prefix back
-- (cut to the 255 characters a file name may have).
set local lock_timeout = '5s';
set local statement_timeout = '30min';

alter table project_assets disable trigger touch_updated_at;
alter table project_assets disable trigger audit_row_change;
alter table project_assets no force row level security;
alter table projects no force row level security;
alter table tasks no force row level security;
update project_assets a
   set file_name = left('[' || p.key || '-' || t.number || '] ' || a.file_name, 255)
  from projects p, tasks t
 where a.task_id is not null
   and p.organization_id = a.organization_id and p.id = a.project_id
   and t.organization_id = a.organization_id and t.id = a.task_id;
alter table tasks force row level security;
alter table projects force row level security;
alter table project_assets force row level security;
alter table project_assets enable trigger audit_row_change;
alter table project_assets enable trigger touch_updated_at;

-- tenantry-lint-ignore drop-column: a rollback runs with the code of the release before, which never reads task_id
alter table project_assets drop column task_id;
