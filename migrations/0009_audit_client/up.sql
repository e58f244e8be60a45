-- Failed sign-ins, counted where every server process sees them: a limit kept in one process's
-- memory is reset by a restart and multiplied by the number of processes. One row per subject
-- (a client address or an email) and a fixed 15-minute window that starts at the first failure;
-- src/auth/sign-in-limit.ts bumps a row with one atomic upsert. Platform-wide, like auth_events:
-- a guess belongs to no tenant.
set local lock_timeout = '5s';

create table sign_in_failures (
  kind              text not null check (kind in ('address', 'email')),
  subject           text not null,
  failures          integer not null check (failures > 0),
  window_started_at timestamptz not null,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (kind, subject)
);
-- Lets the sweep of lapsed windows find them without reading the table.
create index sign_in_failures_window_started_at_idx on sign_in_failures (window_started_at);
create trigger touch_updated_at before update on sign_in_failures
  for each row execute function app.touch_updated_at();
grant select, insert, update, delete on sign_in_failures to tenantry_platform;

-- Audit rows carry the client that made the change: withTenant sets app.ip_address and
-- app.user_agent (from the socket, or from X-Forwarded-For behind a trusted proxy) in the same
-- transaction-local statement as the tenant. Otherwise the function is 0001's.
create or replace function app.audit_row_change() returns trigger
  language plpgsql
  security invoker
  set search_path = pg_catalog, public
  as $$
declare
  old_values jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_values jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  row_values jsonb := coalesce(new_values, old_values);
  tenant_id uuid := (row_values ->> coalesce(tg_argv[0], 'organization_id'))::uuid;
  changed text[];
begin
  -- Rows without a tenant (public templates) have no trail to belong to.
  if tenant_id is null then
    return null;
  end if;

  if tg_op = 'UPDATE' then
    select array_agg(n.key order by n.key)
      into changed
      from jsonb_each(new_values) as n
     where n.key not in ('updated_at', 'search_vector')
       and n.value is distinct from old_values -> n.key;
    -- A touch that changed nothing but updated_at is not an event.
    if changed is null then
      return null;
    end if;
  end if;

  insert into audit_logs (
    organization_id, actor_user_id, action, resource_type, resource_id,
    changed_fields, old_values, new_values, request_id, ip_address, user_agent
  ) values (
    tenant_id, app.current_user_id(), lower(tg_op), tg_table_name, (row_values ->> 'id')::uuid,
    changed, app.redact_audit_values(old_values), app.redact_audit_values(new_values),
    app.current_request_id(),
    -- A lapsed setting reads as the empty string, like the other context settings.
    nullif(current_setting('app.ip_address', true), '')::inet,
    nullif(current_setting('app.user_agent', true), '')
  );
  return null;
end
$$;
