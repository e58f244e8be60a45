-- tenantry:no-transaction
-- Indexes that give the hot reads their order for free, found with bench/ at a million tasks:
-- a page of a project's tasks (optionally by status) and the newest audit entries were
-- sorting every match before keeping fifty. With the sort key in the index, PostgreSQL reads
-- the first page and stops, however large the project or the log grows.
--
-- Built CONCURRENTLY, so writers are never blocked; that cannot run in a transaction. A build
-- that fails leaves an INVALID index behind: drop it (`drop index concurrently …`) and migrate
-- again.
set lock_timeout = '5s';
set statement_timeout = '2h';

create index concurrently if not exists tasks_organization_id_project_id_id_idx
  on tasks (organization_id, project_id, id);
create index concurrently if not exists tasks_organization_id_project_id_status_id_idx
  on tasks (organization_id, project_id, status, id);
drop index concurrently if exists tasks_organization_id_project_id_status_idx;

create index concurrently if not exists audit_logs_organization_id_created_at_id_idx
  on audit_logs (organization_id, created_at desc, id desc);
drop index concurrently if exists audit_logs_organization_id_created_at_idx;

reset statement_timeout;
reset lock_timeout;
