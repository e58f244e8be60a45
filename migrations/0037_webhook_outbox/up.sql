-- Issue 16: a write that some webhook subscription wants records the event here, one row per
-- subscriber, instead of a delivery and a job (a row in the `jobs` reference table) per
-- subscriber. The job worker's dispatcher (src/features/webhooks/dispatcher.ts) turns each row
-- into its delivery and job and deletes it, in one transaction, so every event reaches each
-- subscriber exactly once. `body` is the JSON as it was at the change (what the delivery
-- sends). A row exists only while its fan-out is pending.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

create table webhook_outbox (
  organization_id  uuid not null references organizations (id) on delete cascade,
  id               uuid not null default gen_random_uuid(),
  event            text not null,
  subscription_id  uuid not null,
  body             text not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (organization_id, id)
);
select app.enable_tenant_isolation('webhook_outbox');
-- A transport buffer between an audited change and its delivery log, like live_events: an
-- audit row per event would double the write path's cost.
drop trigger audit_row_change on webhook_outbox;
