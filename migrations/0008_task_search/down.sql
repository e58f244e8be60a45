drop function app.matching_task_ids(uuid, text);
