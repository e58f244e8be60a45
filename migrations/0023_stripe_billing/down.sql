-- Reverses 0023_stripe_billing.
drop table billing_events;
-- tenantry-lint-ignore drop-column: a rollback runs with the code of the release before, which never reads these
alter table subscriptions drop column provider_price_id;
-- tenantry-lint-ignore drop-column: as above
alter table subscriptions drop column cancel_at;
-- tenantry-lint-ignore drop-column: as above
alter table subscription_plans drop column stripe_price_id;
