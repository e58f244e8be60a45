-- Reverses 0029_resend_limits_scheduled_plans.
drop index subscriptions_scheduled_plan_id_idx;
alter table subscriptions drop constraint subscriptions_scheduled_change_check;
alter table subscriptions drop constraint subscriptions_scheduled_plan_id_fkey;
-- tenantry-lint-ignore drop-column: a rollback runs with the code of the release before, which never reads these
alter table subscriptions drop column scheduled_change_at;
-- tenantry-lint-ignore drop-column: as above
alter table subscriptions drop column scheduled_plan_id;
-- tenantry-lint-ignore drop-column: as above
alter table mail_deliveries drop column requested_by;
