-- Sign-ins, sign-outs and failed sign-ins. They belong to a person, not to a tenant, so they
-- cannot live in audit_logs (whose organization_id is required and RLS-scoped); operators read
-- them through the platform role.
create table auth_events (
  id          uuid primary key default gen_random_uuid(),
  -- No foreign key: the trail must outlive the user it describes.
  user_id     uuid,
  -- The email a failed attempt named, so repeated guessing shows up even for unknown users.
  email       text,
  action      text not null check (action in ('auth.sign_in', 'auth.sign_out', 'auth.sign_in_failed')),
  ip_address  text,
  user_agent  text,
  request_id  text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index auth_events_user_id_created_at_idx on auth_events (user_id, created_at desc);
create index auth_events_email_created_at_idx on auth_events (email, created_at desc);

grant select, insert on auth_events to tenantry_platform;
