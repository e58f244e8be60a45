-- A one-round-trip write (src/features/tasks/create-in-one-trip.ts) sends its checks and its
-- writes together, before it can read what the checks found. The checks are one statement
-- that calls this function when any of them fails: the error aborts the transaction before
-- the writes run, and the server answers by running the ordinary path, which finds the
-- reason and answers it exactly as before (404, 403, 402, limit exceeded).
--
-- SQLSTATE TW001 is Tenantry's own ("the one-trip write's checks did not pass"); no
-- PostgreSQL error uses it. Security invoker: it reads nothing.
set local lock_timeout = '5s';

create function app.refuse_write(reason text) returns boolean
  language plpgsql volatile
as $$
begin
  raise exception using errcode = 'TW001', message = reason;
end;
$$;
grant execute on function app.refuse_write(text) to tenantry_app, tenantry_platform;
