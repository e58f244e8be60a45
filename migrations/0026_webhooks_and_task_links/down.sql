-- Reverses 0026_webhooks_and_task_links: the tables and everything on them.
set local lock_timeout = '5s';

drop table task_links;
drop table webhook_deliveries;
drop table webhooks;
