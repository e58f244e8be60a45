-- Reverses 0012_task_sprint_states.
drop trigger record_task_sprint_state on tasks;
drop function app.record_task_sprint_state();
drop table task_sprint_states;
