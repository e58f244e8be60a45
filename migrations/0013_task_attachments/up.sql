-- Task attachments (issue 11): a project file may belong to one of the project's tasks.
-- Until now the web app tied a file to a task by naming it `[ACME-7] report.pdf`; this gives
-- the tie a column and moves the existing ones into it.
--
-- on delete cascade, not set null: a task row is only ever deleted for good by the purge (a
-- person's delete is soft), and its attachments go with it; the purge removes their bytes
-- too (src/purge). Set null would also need `(task_id)` alone, which Citus refuses on keys
-- that hold the distribution column, and would leave orphaned files in the project.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

alter table project_assets add column task_id uuid;

-- tenantry-lint-ignore constraint-without-not-valid: every task_id is null until the backfill below, and project_assets holds a few files per project; the check is immediate
alter table project_assets
  add constraint project_assets_organization_id_task_id_fkey
  foreign key (organization_id, task_id) references tasks (organization_id, id) on delete cascade;

-- A task's files, and the index the foreign key needs.
-- tenantry-lint-ignore index-without-concurrently: project_assets holds a few files per project, and this transaction already holds its lock for the new column
create index project_assets_organization_id_task_id_idx on project_assets (organization_id, task_id);

-- `[KEY-N] name` of a task of the same project: the task becomes the column, the name loses
-- the prefix. A prefix naming no task of the project stays part of the name.
-- Bookkeeping, not anyone's change: no audit rows, updated_at kept. RLS is forced on these
-- tables, which would hide every row from the owner running this.
alter table project_assets disable trigger touch_updated_at;
alter table project_assets disable trigger audit_row_change;
alter table project_assets no force row level security;
alter table projects no force row level security;
alter table tasks no force row level security;
update project_assets a
   set task_id = t.id,
       file_name = substr(a.file_name, length(p.key) + length(t.number::text) + 5)
  from projects p, tasks t
 where p.organization_id = a.organization_id and p.id = a.project_id
   and t.organization_id = a.organization_id and t.project_id = a.project_id
   and a.task_id is null
   and a.file_name like '[%] _%'
   and upper(a.file_name) like upper('[' || p.key || '-' || t.number || '] _%');
alter table tasks force row level security;
alter table projects force row level security;
alter table project_assets force row level security;
alter table project_assets enable trigger audit_row_change;
alter table project_assets enable trigger touch_updated_at;
