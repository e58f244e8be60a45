-- Reverses 0003_work in reverse order of creation; each table takes its indexes,
-- policies, triggers and grants along.

drop table templates;
drop table documents;
drop table comments;
drop table tasks;
drop function app.sync_task_completed_at();
drop function app.assign_task_number();
drop table sprints;
drop table epics;
drop table project_members;
drop table projects;
