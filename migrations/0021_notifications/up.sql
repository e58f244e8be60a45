-- Notifications, watching and live updates (issue 13).
--
-- Four tenant tables. Every row is written by the service layer inside the transaction of the
-- change it follows (no triggers of our own: on Citus they would fire on the shards), and every
-- reference is (organization_id, x_id) with on delete cascade, never set null.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- Who watches which task. Watching is automatic for the creator, the assignee and commenters;
-- a person may also switch it by hand. `watching = false` remembers a hand-made "unwatch", so
-- that commenting again or being reassigned does not silently re-subscribe them.
create table task_watchers (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  task_id         uuid not null,
  user_id         uuid not null,
  watching        boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, task_id, user_id),
  foreign key (organization_id, task_id) references tasks (organization_id, id) on delete cascade,
  foreign key (organization_id, user_id) references members (organization_id, user_id) on delete cascade
);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index task_watchers_organization_id_user_id_idx on task_watchers (organization_id, user_id);
select app.enable_tenant_isolation('task_watchers');

-- What a person wants for each kind of event: in the inbox, in the inbox and by email (batched
-- into a digest), or not at all. No row means in the inbox.
create table notification_preferences (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  user_id         uuid not null,
  type            text not null
                  check (type in ('assigned', 'mentioned', 'commented', 'status_changed',
                                  'sprint_started', 'sprint_completed', 'invitation_accepted')),
  channel         text not null check (channel in ('in_app', 'email', 'off')),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, user_id, type),
  foreign key (organization_id, user_id) references members (organization_id, user_id) on delete cascade
);
select app.enable_tenant_isolation('notification_preferences');

-- One row per person told about one event. The actor has no foreign key on purpose: the
-- notification outlives the actor's membership, and set null is what Citus cannot do.
create table notifications (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  user_id         uuid not null,
  type            text not null
                  check (type in ('assigned', 'mentioned', 'commented', 'status_changed',
                                  'sprint_started', 'sprint_completed', 'invitation_accepted')),
  actor_id        uuid,
  project_id      uuid,
  task_id         uuid,
  comment_id      uuid,
  sprint_id       uuid,
  invitation_id   uuid,
  read_at         timestamptz,
  -- Waiting for the next email digest (the person chose email for this type); cleared when sent.
  email_pending   boolean not null default false,
  emailed_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, user_id) references members (organization_id, user_id) on delete cascade,
  foreign key (organization_id, project_id) references projects (organization_id, id) on delete cascade,
  foreign key (organization_id, task_id) references tasks (organization_id, id) on delete cascade,
  foreign key (organization_id, comment_id) references comments (organization_id, id) on delete cascade,
  foreign key (organization_id, sprint_id) references sprints (organization_id, id) on delete cascade,
  foreign key (organization_id, invitation_id) references invitations (organization_id, id) on delete cascade
);
-- The inbox, newest first, and its unread count.
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_organization_id_user_id_idx on notifications (organization_id, user_id, created_at desc, id desc);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_unread_idx on notifications (organization_id, user_id) where read_at is null;
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_email_pending_idx on notifications (organization_id, user_id, created_at) where email_pending;
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_organization_id_project_id_idx on notifications (organization_id, project_id);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_organization_id_task_id_idx on notifications (organization_id, task_id);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_organization_id_comment_id_idx on notifications (organization_id, comment_id);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_organization_id_sprint_id_idx on notifications (organization_id, sprint_id);
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index notifications_organization_id_invitation_id_idx on notifications (organization_id, invitation_id);
select app.enable_tenant_isolation('notifications');
-- Derived from changes that are audited already (a comment, an assignment); a storm of a
-- thousand watchers would otherwise write a thousand audit rows too.
drop trigger audit_row_change on notifications;

-- The recent live events of each organization, so that a client that lost its stream can
-- resume with Last-Event-ID. Ids are time-ordered UUIDv7 from the application. Rows older than
-- a few minutes are removed by the server (src/features/live-events). No foreign keys: the
-- event about a deleted task must still be replayed.
create table live_events (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null,
  kind            text not null,
  project_id      uuid,
  resource_id     uuid not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id)
);
-- The pruning scan, across organizations.
-- tenantry-lint-ignore index-without-concurrently: the table is created empty in this transaction
create index live_events_created_at_idx on live_events (created_at);
select app.enable_tenant_isolation('live_events');
-- A transport buffer, not anyone's change.
drop trigger audit_row_change on live_events;
