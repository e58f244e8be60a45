-- The RLS overhead (issue 13): app.refresh_project_access, which every transaction that reads a
-- project's rows runs once, no longer carries `set search_path = pg_catalog`.
--
-- A function with a setting saves, sets and restores it on every call, and each change of
-- search_path makes the next name lookup rebuild the path. On the 100k-task bench copy that was
-- about 12 µs of the server's CPU per one-task read (of about 200). The setting bought nothing
-- here: the function is SECURITY INVOKER, so a caller's search_path could only lend it the
-- caller's own rights, and every name it uses is qualified (public.*, app.*) or a pg_catalog
-- builtin, which is searched first whatever the path says unless it is named later in it, and
-- the server never does that.
set local lock_timeout = '5s';

alter function app.refresh_project_access(text) reset search_path;
