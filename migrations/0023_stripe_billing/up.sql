-- Stripe billing (issue 16): which Stripe price sells each plan, what the webhook keeps of a
-- Stripe subscription, and the record of every Stripe event received.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- A plan with no price cannot be bought through Checkout (the free plan, for one).
alter table subscription_plans add column stripe_price_id text;
-- tenantry-lint-ignore constraint-without-not-valid: the plan catalogue holds a handful of rows, all with a null price id here
alter table subscription_plans add constraint subscription_plans_stripe_price_id_key unique (stripe_price_id);

-- When Stripe will end the subscription (set in the Customer Portal), and the price it bills.
alter table subscriptions add column cancel_at timestamptz;
alter table subscriptions add column provider_price_id text;

-- Every event whose signature verified, once: the primary key is Stripe's event id, so a
-- second delivery finds the first and is not processed again. A platform table: an event
-- names Stripe objects, and the organization is found from them while processing it.
create table billing_events (
  id           text primary key,
  type         text not null,
  payload      jsonb not null,
  -- Set in the transaction that applied the event; null only for an event of a type that
  -- changes nothing here, which is recorded all the same.
  processed_at timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create trigger touch_updated_at before update on billing_events
  for each row execute function app.touch_updated_at();
grant select, insert, update on billing_events to tenantry_platform;
