-- The job queue and the mail delivery record (issue 13).
--
-- jobs is a platform table: work that must not run inside a request (mail now, webhook
-- deliveries and digests later) is written here in the caller's transaction, so it exists
-- exactly when the change that asked for it committed, and a worker inside the server claims it
-- with FOR UPDATE SKIP LOCKED (src/jobs/queue.ts). No organization_id: on Citus it is a
-- reference table, and the payload carries whatever tenant ids its handler needs.
--
-- Status: queued -> running -> done | failed, or back to queued with a later run_at (retry
-- with backoff). 'sending' is the point of no return: a handler that hands the job to the
-- outside world (an SMTP server) first commits 'sending'; a job whose lease ran out in
-- 'running' is retried, one that ran out in 'sending' is failed, never retried, because the
-- outside world may already have it.
set local lock_timeout = '5s';

create table jobs (
  id           uuid primary key,
  kind         text not null check (kind ~ '^[a-z][a-z0-9_.-]*$'),
  payload      jsonb not null,
  status       text not null default 'queued'
               check (status in ('queued', 'running', 'sending', 'done', 'failed')),
  attempts     integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 5 check (max_attempts between 1 and 50),
  run_at       timestamptz not null default now(),
  -- Who holds the job while running or sending, and until when.
  lease_token  uuid,
  locked_until timestamptz,
  last_error   text,
  finished_at  timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
-- The claim reads due queued jobs in run_at order; the sweep reads lapsed leases and old
-- finished jobs. Each index holds only the rows its reader wants.
create index jobs_due_idx on jobs (run_at) where status = 'queued';
create index jobs_lease_idx on jobs (locked_until) where status in ('running', 'sending');
create index jobs_finished_at_idx on jobs (finished_at) where finished_at is not null;
-- Account mail (verification, reset) is limited per address and hour, counted here.
create index jobs_mail_recipient_idx on jobs (lower(payload ->> 'to'), created_at) where kind = 'mail.send';
create trigger touch_updated_at before update on jobs
  for each row execute function app.touch_updated_at();
-- A tenant transaction (tenantry_app) may add a job but never read one: payloads of every
-- tenant share this table. The worker reads and updates them as tenantry_platform.
grant insert on jobs to tenantry_app;
grant select, insert, update, delete on jobs to tenantry_platform;

-- What an organization's admins see of its mail: one row per message, kept after the job that
-- carried it is cleaned up. job_id names the job without a foreign key, for that reason.
create table mail_deliveries (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null,
  job_id          uuid not null,
  -- The template: invitation, digest, ...
  template        text not null,
  recipient       text not null,
  subject         text not null,
  status          text not null default 'queued'
                  check (status in ('queued', 'sending', 'retrying', 'sent', 'failed')),
  attempts        integer not null default 0 check (attempts >= 0),
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  -- Ids are time-ordered (v7): the key also pages the admin list, newest first.
  primary key (organization_id, id)
);

select app.enable_tenant_isolation('mail_deliveries');
