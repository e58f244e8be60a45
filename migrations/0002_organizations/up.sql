-- Organizations (the tenant root), membership, invitations, subscriptions and the audit
-- trail. Every table here is tenant-scoped; organizations is scoped by its own id.

create table organizations (
  id                  uuid primary key default gen_random_uuid(),
  name                text not null,
  slug                text not null unique,
  domain              text,
  logo                text,
  owner_id            uuid references users (id) on delete set null,
  settings            jsonb not null default '{}'::jsonb,
  -- Better Auth's organization plugin stores free-form metadata as a string.
  metadata            text,
  -- The tenant's data key, wrapped by the platform key (envelope encryption).
  wrapped_data_key    bytea,
  billing_customer_id text,
  billing_email       text,
  deleted_at          timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create index organizations_owner_id_idx on organizations (owner_id);

create table members (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  user_id         uuid not null references users (id) on delete cascade,
  role            text not null default 'member'
                  check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  -- Target of every "person inside a tenant" reference (assignee, owner, author...).
  unique (organization_id, user_id)
);
create index members_user_id_idx on members (user_id);

select app.enable_tenant_isolation('members');
-- A user also sees their own memberships in every organization, which is how the app lists
-- the organizations they can switch to. With no context both sides are NULL: still closed.
alter policy members_tenant_select on members
  using (organization_id = (select app.current_organization_id())
         or user_id = (select app.current_user_id()));

-- organizations is isolated by its own id, so its policies are spelled out. Reading is
-- also allowed for organizations the acting user belongs to (the organization switcher);
-- writing only for the current one.
alter table organizations enable row level security;
alter table organizations force row level security;
create policy organizations_tenant_select on organizations for select
  using (id = (select app.current_organization_id())
         or id in (select m.organization_id
                     from members m
                    where m.user_id = (select app.current_user_id())));
create policy organizations_tenant_insert on organizations for insert
  with check (id = (select app.current_organization_id()));
create policy organizations_tenant_update on organizations for update
  using (id = (select app.current_organization_id()))
  with check (id = (select app.current_organization_id()));
create policy organizations_tenant_delete on organizations for delete
  using (id = (select app.current_organization_id()));
grant select, insert, update, delete on organizations to tenantry_app, tenantry_platform;
create trigger touch_updated_at before update on organizations
  for each row execute function app.touch_updated_at();
create trigger audit_row_change after insert or update or delete on organizations
  for each row execute function app.audit_row_change('id');

create table invitations (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  email           text not null,
  role            text not null default 'member'
                  check (role in ('owner', 'admin', 'member', 'viewer')),
  status          text not null default 'pending'
                  check (status in ('pending', 'accepted', 'rejected', 'canceled', 'expired')),
  expires_at      timestamptz not null,
  inviter_id      uuid,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  -- The invitation outlives the inviter's membership.
  foreign key (organization_id, inviter_id) references members (organization_id, user_id)
    on delete set null (inviter_id)
);
create index invitations_organization_id_inviter_id_idx on invitations (organization_id, inviter_id);
-- The auth library finds a user's invitations by email, across organizations.
create index invitations_email_idx on invitations (email);

select app.enable_tenant_isolation('invitations');

create table subscriptions (
  organization_id          uuid not null references organizations (id) on delete cascade,
  id                       uuid not null default gen_random_uuid(),
  -- A plan still in use cannot disappear; retire it with is_active instead.
  plan_id                  uuid not null references subscription_plans (id) on delete restrict,
  status                   text not null default 'incomplete'
                           check (status in ('trialing', 'active', 'past_due', 'canceled', 'incomplete')),
  current_period_start     timestamptz,
  current_period_end       timestamptz,
  trial_ends_at            timestamptz,
  canceled_at              timestamptz,
  cancel_at_period_end     boolean not null default false,
  seats                    integer not null default 1 check (seats >= 1),
  provider                 text,
  provider_customer_id     text,
  provider_subscription_id text,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  primary key (organization_id, id),
  constraint subscriptions_period_check check (current_period_end >= current_period_start)
);
create index subscriptions_plan_id_idx on subscriptions (plan_id);
-- Billing webhooks find the subscription by the provider's id, before any tenant is known.
-- Not unique: unique constraints on tenant tables must include organization_id (Citus).
create index subscriptions_provider_subscription_id_idx
  on subscriptions (provider, provider_subscription_id);
-- An organization has at most one subscription that is not canceled.
create unique index subscriptions_one_live_per_organization_idx
  on subscriptions (organization_id) where status <> 'canceled';

select app.enable_tenant_isolation('subscriptions');

-- No foreign keys on purpose: the record of a deletion (of a row, a user, a whole
-- organization) must survive the deletion.
create table audit_logs (
  organization_id uuid not null,
  id              uuid not null default gen_random_uuid(),
  actor_user_id   uuid,
  action          text not null
                  check (action in ('insert', 'update', 'delete')
                         or action like 'auth.%' or action like 'app.%'),
  resource_type   text not null,
  resource_id     uuid,
  changed_fields  text[],
  old_values      jsonb,
  new_values      jsonb,
  ip_address      inet,
  user_agent      text,
  request_id      text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id)
);
create index audit_logs_organization_id_created_at_idx on audit_logs (organization_id, created_at desc);
create index audit_logs_organization_id_resource_idx on audit_logs (organization_id, resource_type, resource_id);
create index audit_logs_organization_id_actor_user_id_idx on audit_logs (organization_id, actor_user_id);

-- Standard tenant policies, but the server may only append and read: no update or delete
-- grant, so the trail cannot be rewritten from the request path. No audit trigger on the
-- trail itself.
alter table audit_logs enable row level security;
alter table audit_logs force row level security;
create policy audit_logs_tenant_select on audit_logs for select
  using (organization_id = (select app.current_organization_id()));
create policy audit_logs_tenant_insert on audit_logs for insert
  with check (organization_id = (select app.current_organization_id()));
create policy audit_logs_tenant_update on audit_logs for update
  using (organization_id = (select app.current_organization_id()))
  with check (organization_id = (select app.current_organization_id()));
create policy audit_logs_tenant_delete on audit_logs for delete
  using (organization_id = (select app.current_organization_id()));
grant select, insert on audit_logs to tenantry_app;
grant select, insert, update, delete on audit_logs to tenantry_platform;
create trigger touch_updated_at before update on audit_logs
  for each row execute function app.touch_updated_at();

-- sessions.active_organization_id could not reference organizations before now. Both
-- tables were created by 0001 in the same release and are empty when this runs, so the
-- locks these statements take are momentary.
-- tenantry-lint-ignore missing-timeout: sessions and users are new and empty in this release
-- tenantry-lint-ignore constraint-without-not-valid: sessions is new and empty in this release
alter table sessions
  add foreign key (active_organization_id) references organizations (id) on delete set null;
-- tenantry-lint-ignore index-without-concurrently: sessions is new and empty in this release
create index sessions_active_organization_id_idx on sessions (active_organization_id);

-- The server sees only the acting user and the members of the current organization;
-- without this its column grant on users would list every email on the platform. The auth
-- library works as tenantry_platform, which bypasses RLS.
alter table users enable row level security;
alter table users force row level security;
create policy users_member_select on users for select
  using (id = (select app.current_user_id())
         or id in (select m.user_id
                     from members m
                    where m.organization_id = (select app.current_organization_id())));
