-- Reverses 0040_project_access_without_search_path.
set local lock_timeout = '5s';

alter function app.refresh_project_access(text) set search_path = pg_catalog;
