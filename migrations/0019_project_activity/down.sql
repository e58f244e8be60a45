-- tenantry:no-transaction
set lock_timeout = '5s';

drop function app.project_activity_ids(uuid, timestamptz, uuid, integer, integer);

drop index concurrently if exists audit_logs_organization_id_comments_created_at_id_idx;
drop index concurrently if exists audit_logs_organization_id_comment_task_id_created_at_id_idx;
drop index concurrently if exists audit_logs_organization_id_project_id_created_at_id_idx;

reset lock_timeout;
