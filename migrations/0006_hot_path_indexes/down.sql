-- tenantry:no-transaction
set lock_timeout = '5s';
set statement_timeout = '2h';

create index concurrently if not exists audit_logs_organization_id_created_at_idx
  on audit_logs (organization_id, created_at desc);
drop index concurrently if exists audit_logs_organization_id_created_at_id_idx;

create index concurrently if not exists tasks_organization_id_project_id_status_idx
  on tasks (organization_id, project_id, status);
drop index concurrently if exists tasks_organization_id_project_id_status_id_idx;
drop index concurrently if exists tasks_organization_id_project_id_id_idx;

reset statement_timeout;
reset lock_timeout;
