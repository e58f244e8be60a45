-- Reverses 0043_named_task_resolved_once.
set local lock_timeout = '5s';

drop function if exists app.resolve_named_task(uuid, text, integer);
