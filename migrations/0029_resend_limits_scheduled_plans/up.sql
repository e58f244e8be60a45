-- Invitation resends limited per admin (issue 13), and plan changes scheduled for the end of
-- the billing period (issue 16).
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- The user whose action queued the mail; null when the system did (a digest). The resend
-- limit counts an admin's invitation mails of the last hour by it.
alter table mail_deliveries add column requested_by uuid;

-- A plan change that waits for the end of the billing period (a downgrade the organization's
-- usage is still over, for one). A job applies it at scheduled_change_at.
alter table subscriptions add column scheduled_plan_id uuid;
alter table subscriptions add column scheduled_change_at timestamptz;
-- tenantry-lint-ignore constraint-without-not-valid: the column was just added, so every row is null and nothing is scanned for long
alter table subscriptions add constraint subscriptions_scheduled_plan_id_fkey
  foreign key (scheduled_plan_id) references subscription_plans (id) on delete restrict;
-- tenantry-lint-ignore constraint-without-not-valid: as above, both columns are null on every row
alter table subscriptions add constraint subscriptions_scheduled_change_check
  check ((scheduled_plan_id is null) = (scheduled_change_at is null));
-- tenantry-lint-ignore index-without-concurrently: one row per organization, and the column is null on all of them
create index subscriptions_scheduled_plan_id_idx on subscriptions (scheduled_plan_id);
