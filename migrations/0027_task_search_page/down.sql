-- tenantry:no-transaction
-- Reverses 0027_task_search_page: the search GIN index of 0003 again, and no page function.
set lock_timeout = '5s';
set statement_timeout = '2h';

create index concurrently if not exists tasks_search_vector_idx on tasks using gin (search_vector);
drop function if exists app.matching_task_page(uuid, text, text, text, uuid, integer);

reset statement_timeout;
reset lock_timeout;
