-- Reverses 0021_notifications: the tables and everything on them (policies, triggers, indexes).
set local lock_timeout = '5s';

drop table live_events;
drop table notifications;
drop table notification_preferences;
drop table task_watchers;
