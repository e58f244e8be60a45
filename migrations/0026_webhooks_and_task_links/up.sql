-- Integrations that do something (issue 16): outgoing webhook subscriptions and their delivery
-- log, and the links GitHub's incoming webhook makes between commits or pull requests and tasks.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- An admin's subscription of one URL to some events. The signing secret is sealed with the
-- organization's data key (like integrations' credentials) and shown once, at creation.
-- `failing_since` is the first failure of the current run of failures: a day of them disables it.
create table webhooks (
  organization_id   uuid not null references organizations (id) on delete cascade,
  id                uuid not null default gen_random_uuid(),
  url               text not null check (url ~ '^https?://' and length(url) <= 2000),
  events            text[] not null
                    check (cardinality(events) > 0 and events <@ array['task.created', 'task.updated', 'task.deleted',
                           'comment.created', 'sprint.started', 'sprint.completed']::text[]),
  secret_ciphertext bytea not null,
  status            text not null default 'active' check (status in ('active', 'disabled')),
  failing_since     timestamptz,
  disabled_reason   text,
  -- No key into members: the subscription outlives the admin who made it.
  created_by_id     uuid,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (organization_id, id)
);
select app.enable_tenant_isolation('webhooks');

-- One row per event sent to one subscription; `body` is the exact JSON that is signed and sent.
-- A redelivery is a new row pointing at the one it repeats.
create table webhook_deliveries (
  organization_id  uuid not null references organizations (id) on delete cascade,
  id               uuid not null default gen_random_uuid(),
  subscription_id  uuid not null,
  event            text not null,
  body             text not null,
  status           text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempts         integer not null default 0 check (attempts >= 0),
  response_status  integer,
  last_error       text,
  delivered_at     timestamptz,
  redelivery_of_id uuid,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, subscription_id) references webhooks (organization_id, id) on delete cascade
);
-- The delivery log of one subscription, newest first.
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index webhook_deliveries_organization_id_subscription_id_idx on webhook_deliveries (organization_id, subscription_id, id desc);
select app.enable_tenant_isolation('webhook_deliveries');
-- Each delivery is the consequence of an audited change; the log is its own record.
drop trigger audit_row_change on webhook_deliveries;

-- A commit or pull request that names a task (`ACME-7`), found by an integration's webhook.
create table task_links (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  task_id         uuid not null,
  integration_id  uuid not null,
  kind            text not null check (kind in ('commit', 'pull_request')),
  url             text not null,
  title           text not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, task_id, url),
  foreign key (organization_id, task_id) references tasks (organization_id, id) on delete cascade,
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index task_links_organization_id_integration_id_idx on task_links (organization_id, integration_id);
select app.enable_tenant_isolation('task_links');
