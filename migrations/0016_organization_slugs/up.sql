-- Citus (issue 14), part 3: organizations distributed by their own id, co-located with every
-- tenant table. Citus enforces a unique key only within one shard, so `unique (slug)` cannot
-- stay on a table distributed by id. Slugs are claimed in organization_slugs instead: a
-- platform table (a reference table on Citus, one copy on every node), whose primary key is the
-- slug, so a second organization with a taken slug fails on its insert into the registry as it
-- failed on organizations before. Whatever creates an organization claims its slug in the same
-- transaction (src/features/organizations/repository.ts, the seeds, tenant import); deleting the organization releases it.
-- organization_ref names the organization without a foreign key: a reference table may not
-- reference a distributed one. `db validate` checks that registry and organizations agree.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

create table organization_slugs (
  slug             text primary key,
  organization_ref uuid not null unique,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create trigger touch_updated_at before update on organization_slugs
  for each row execute function app.touch_updated_at();

-- The server claims and releases the slug of the organization in its context, and sees no
-- other organization's claim; a taken slug still fails its insert on the primary key.
alter table organization_slugs enable row level security;
alter table organization_slugs force row level security;
create policy organization_slugs_tenant_select on organization_slugs for select
  using (organization_ref = app.current_organization_id());
create policy organization_slugs_tenant_insert on organization_slugs for insert
  with check (organization_ref = app.current_organization_id());
create policy organization_slugs_tenant_delete on organization_slugs for delete
  using (organization_ref = app.current_organization_id());
grant select, insert, delete on organization_slugs to tenantry_app;
grant select, insert, update, delete on organization_slugs to tenantry_platform;

-- RLS is forced on organizations, which would hide every row from the owner running this; the
-- registry's own policies would refuse the owner's inserts the same way.
alter table organizations no force row level security;
alter table organization_slugs no force row level security;
insert into organization_slugs (slug, organization_ref, created_at)
select slug, id, created_at from organizations;
alter table organization_slugs force row level security;
alter table organizations force row level security;

alter table organizations drop constraint organizations_slug_key;
-- Lookups by slug (the CLI takes an organization by id or slug).
-- tenantry-lint-ignore index-without-concurrently: one row per organization, and this transaction already holds its lock
create index organizations_slug_idx on organizations (slug);
