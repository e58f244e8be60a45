-- Foundation: the app schema (tenant context helpers, shared trigger functions, the
-- tenant-isolation helper) and the platform tables that belong to no tenant.

create schema app;
grant usage on schema app to tenantry_app, tenantry_platform;

-- ---------------------------------------------------------------------------
-- Tenant context. withTenant sets these with set_config(..., true); once the transaction
-- ends a lapsed setting reads as '' rather than NULL, so nullif turns it back into NULL and
-- every policy comparing against it fails closed.
-- ---------------------------------------------------------------------------

create function app.current_organization_id() returns uuid
  language sql stable
  set search_path = pg_catalog
  as $$ select nullif(current_setting('app.organization_id', true), '')::uuid $$;

create function app.current_user_id() returns uuid
  language sql stable
  set search_path = pg_catalog
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

create function app.current_request_id() returns text
  language sql stable
  set search_path = pg_catalog
  as $$ select nullif(current_setting('app.request_id', true), '') $$;

-- ---------------------------------------------------------------------------
-- Shared trigger functions.
-- ---------------------------------------------------------------------------

create function app.touch_updated_at() returns trigger
  language plpgsql
  set search_path = pg_catalog
  as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Secrets and derived data never enter the audit trail: ciphertext and wrapped keys would
-- turn audit_logs into a second copy of every secret, and search vectors are noise.
create function app.redact_audit_values(row_values jsonb) returns jsonb
  language sql immutable strict
  set search_path = pg_catalog
  as $$
    select coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
    from jsonb_each(row_values)
    where key !~ '_ciphertext$'
      and key not in ('wrapped_data_key', 'search_vector')
  $$;

-- Writes one audit_logs row per changed row, so no code path can skip the trail.
-- SECURITY INVOKER on purpose: as tenantry_app the insert passes audit_logs' RLS because the
-- row's tenant is the current tenant, and a definer function would be a way around RLS.
-- TG_ARGV[0] names the column that holds the tenant id (organizations use their own id).
create function app.audit_row_change() returns trigger
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
    changed_fields, old_values, new_values, request_id
  ) values (
    tenant_id, app.current_user_id(), lower(tg_op), tg_table_name, (row_values ->> 'id')::uuid,
    changed, app.redact_audit_values(old_values), app.redact_audit_values(new_values),
    app.current_request_id()
  );
  return null;
end
$$;

-- Gives a tenant table its standard equipment in one call, so no table can be forgotten
-- half-way: RLS enabled and forced (forced so the owner is bound too), one policy per
-- command keyed on the transaction's tenant, grants, and the updated_at and audit triggers.
create function app.enable_tenant_isolation(tbl regclass) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  table_name text;
  tenant_predicate constant text := 'organization_id = (select app.current_organization_id())';
begin
  select c.relname into strict table_name from pg_class c where c.oid = tbl;

  if not exists (
    select from pg_attribute a
     where a.attrelid = tbl and a.attname = 'organization_id'
       and a.attnotnull and not a.attisdropped
  ) then
    raise exception 'table % has no "organization_id uuid not null" column', tbl;
  end if;

  execute format('alter table %s enable row level security', tbl);
  execute format('alter table %s force row level security', tbl);

  execute format('create policy %I on %s for select using (%s)',
                 table_name || '_tenant_select', tbl, tenant_predicate);
  execute format('create policy %I on %s for insert with check (%s)',
                 table_name || '_tenant_insert', tbl, tenant_predicate);
  execute format('create policy %I on %s for update using (%s) with check (%s)',
                 table_name || '_tenant_update', tbl, tenant_predicate, tenant_predicate);
  execute format('create policy %I on %s for delete using (%s)',
                 table_name || '_tenant_delete', tbl, tenant_predicate);

  execute format('grant select, insert, update, delete on %s to tenantry_app, tenantry_platform', tbl);

  execute format('create trigger touch_updated_at before update on %s '
                 'for each row execute function app.touch_updated_at()', tbl);
  execute format('create trigger audit_row_change after insert or update or delete on %s '
                 'for each row execute function app.audit_row_change()', tbl);
end
$$;

-- Only migrations (as the owner) equip tables.
revoke execute on function app.enable_tenant_isolation(regclass) from public;

-- ---------------------------------------------------------------------------
-- Better Auth core tables (snake_case, uuid ids) with the user fields seeds 003/004 add.
-- ---------------------------------------------------------------------------

create table users (
  id                   uuid primary key default gen_random_uuid(),
  name                 text not null,
  email                text not null unique,
  email_verified       boolean not null default false,
  image                text,
  username             text unique,
  display_username     text,
  status               text not null default 'active'
                       check (status in ('active', 'inactive', 'pending')),
  -- Platform role (Better Auth admin plugin), not the role inside an organization.
  role                 text not null default 'user' check (role in ('user', 'admin')),
  banned               boolean not null default false,
  ban_reason           text,
  ban_expires          timestamptz,
  language             text not null default 'en',
  onboarding_completed boolean not null default false,
  first_name           text,
  last_name            text,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);

create table accounts (
  id                       uuid primary key default gen_random_uuid(),
  user_id                  uuid not null references users (id) on delete cascade,
  account_id               text not null,
  provider_id              text not null,
  access_token             text,
  refresh_token            text,
  id_token                 text,
  access_token_expires_at  timestamptz,
  refresh_token_expires_at timestamptz,
  scope                    text,
  password                 text,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  -- One external identity signs in exactly one user.
  unique (provider_id, account_id)
);
create index accounts_user_id_idx on accounts (user_id);

create table sessions (
  id                     uuid primary key default gen_random_uuid(),
  user_id                uuid not null references users (id) on delete cascade,
  token                  text not null unique,
  expires_at             timestamptz not null,
  ip_address             text,
  user_agent             text,
  -- The foreign key to organizations is added by 0002, which creates that table.
  active_organization_id uuid,
  impersonated_by        uuid references users (id) on delete set null,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now()
);
create index sessions_user_id_idx on sessions (user_id);
create index sessions_impersonated_by_idx on sessions (impersonated_by);

create table verifications (
  id         uuid primary key default gen_random_uuid(),
  identifier text not null,
  value      text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index verifications_identifier_idx on verifications (identifier);

create table user_profiles (
  user_id     uuid primary key references users (id) on delete cascade,
  bio         text,
  avatar_url  text,
  timezone    text,
  job_title   text,
  phone       text,
  preferences jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- A profile is private to its user.
alter table user_profiles enable row level security;
alter table user_profiles force row level security;
create policy user_profiles_self_select on user_profiles for select
  using (user_id = (select app.current_user_id()));
create policy user_profiles_self_insert on user_profiles for insert
  with check (user_id = (select app.current_user_id()));
create policy user_profiles_self_update on user_profiles for update
  using (user_id = (select app.current_user_id()))
  with check (user_id = (select app.current_user_id()));
create policy user_profiles_self_delete on user_profiles for delete
  using (user_id = (select app.current_user_id()));

-- ---------------------------------------------------------------------------
-- Plans and features (seeds 000, 003). A NULL limit means unlimited.
-- ---------------------------------------------------------------------------

create table subscription_plans (
  id                       uuid primary key default gen_random_uuid(),
  code                     text not null unique,
  name                     text not null,
  description              text,
  price_cents              integer not null default 0 check (price_cents >= 0),
  currency                 text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  billing_period           text not null default 'monthly'
                           check (billing_period in ('monthly', 'yearly')),
  max_members              integer check (max_members >= 0),
  max_projects             integer check (max_projects >= 0),
  max_tasks                integer check (max_tasks >= 0),
  max_storage_bytes        bigint check (max_storage_bytes >= 0),
  max_ai_tokens_per_month  bigint check (max_ai_tokens_per_month >= 0),
  is_active                boolean not null default true,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now()
);

create table features (
  id          uuid primary key default gen_random_uuid(),
  code        text not null unique,
  name        text not null,
  description text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table plan_features (
  plan_id    uuid not null references subscription_plans (id) on delete cascade,
  feature_id uuid not null references features (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (plan_id, feature_id)
);
-- The primary key serves lookups by plan; this one serves the feature side of the FK.
create index plan_features_feature_id_idx on plan_features (feature_id);

-- ---------------------------------------------------------------------------
-- updated_at triggers and grants for the platform tables.
-- ---------------------------------------------------------------------------

create trigger touch_updated_at before update on users
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on accounts
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on sessions
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on verifications
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on user_profiles
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on subscription_plans
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on features
  for each row execute function app.touch_updated_at();
create trigger touch_updated_at before update on plan_features
  for each row execute function app.touch_updated_at();

grant select, insert, update, delete
  on users, accounts, sessions, verifications, user_profiles,
     subscription_plans, features, plan_features
  to tenantry_platform;

-- The server reads the catalogue of plans and a few public user fields, and manages the
-- acting user's profile. Credentials, sessions and tokens stay with the auth library.
grant select on subscription_plans, features, plan_features to tenantry_app;
-- Which users it may see is narrowed by the policy on users in 0002.
grant select (id, name, email, image, username) on users to tenantry_app;
grant select, insert, update on user_profiles to tenantry_app;
