-- tenantry:no-transaction
-- Reverses 0032_webhook_delivery_log_order: the delivery log's index by id again.
set lock_timeout = '5s';
set statement_timeout = '2h';

create index concurrently if not exists webhook_deliveries_organization_id_subscription_id_idx
  on webhook_deliveries (organization_id, subscription_id, id desc);
drop index concurrently if exists webhook_deliveries_org_subscription_created_at_idx;

reset statement_timeout;
reset lock_timeout;
