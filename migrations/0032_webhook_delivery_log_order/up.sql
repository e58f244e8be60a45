-- tenantry:no-transaction
-- A subscription's delivery log is listed newest first, by (created_at, id), but its index
-- ended in id alone (ids are random, v4 from gen_random_uuid): a page read every delivery of
-- the subscription and sorted them before keeping fifty. With created_at in the index the
-- page is its first entries, however long the log. The (organization_id, subscription_id)
-- prefix still serves the cascade from a deleted subscription, so the old index goes.
--
-- Built CONCURRENTLY, so deliveries are never blocked; that cannot run in a transaction. A
-- build that fails leaves an INVALID index behind: drop it (`drop index concurrently …`) and
-- migrate again.
set lock_timeout = '5s';
set statement_timeout = '2h';

create index concurrently if not exists webhook_deliveries_org_subscription_created_at_idx
  on webhook_deliveries (organization_id, subscription_id, created_at desc, id desc);
drop index concurrently if exists webhook_deliveries_organization_id_subscription_id_idx;

reset statement_timeout;
reset lock_timeout;
