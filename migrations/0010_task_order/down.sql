set local lock_timeout = '5s';
set local statement_timeout = '30min';

drop trigger assign_task_position on tasks;
drop function app.assign_task_position();
drop function app.position_key_after(text);
drop index tasks_organization_id_updated_at_id_idx;
drop index tasks_organization_id_project_id_position_key;

-- tenantry-lint-ignore change-column-type: undoes 0010, which rewrote the table the same way
-- 0003's board position (all zero, as tasks were created) and due instants at the day's start, UTC.
alter table tasks
  alter column position type bigint using 0,
  alter column position set default 0,
  alter column due_date type timestamptz using due_date::timestamp at time zone 'UTC';
