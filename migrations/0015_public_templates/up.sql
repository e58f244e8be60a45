-- Citus (issue 14), part 2: public templates and an organization's own templates become two
-- tables. One table with a nullable organization_id could be neither distributed by tenant
-- (its public rows belong to none) nor a reference table (it holds every tenant's rows).
-- public_templates is a platform table (a reference table on Citus): no organization_id,
-- readable by the server, written by the platform role only. templates keeps the tenants' own,
-- now with the standard tenant equipment: organization_id not null, primary key
-- (organization_id, id), the four tenant policies, the audit trail.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

create table public_templates (
  id            uuid primary key default gen_random_uuid(),
  name          text not null,
  description   text,
  category      text not null check (category in ('project', 'document', 'story', 'prompt')),
  content       jsonb not null default '{}'::jsonb,
  created_by_id uuid references users (id) on delete set null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index public_templates_created_by_id_idx on public_templates (created_by_id);
create trigger touch_updated_at before update on public_templates
  for each row execute function app.touch_updated_at();
grant select on public_templates to tenantry_app;
grant select, insert, update, delete on public_templates to tenantry_platform;

-- The select policy shows public rows without a tenant; deleting them goes by the platform's
-- rights, which the owner running this lacks under forced RLS.
alter table templates no force row level security;
insert into public_templates (id, name, description, category, content, created_by_id, created_at, updated_at)
select id, name, description, category, content, created_by_id, created_at, updated_at
  from templates
 where organization_id is null;
-- The audit trigger skips rows without a tenant: moving them is no tenant's event.
delete from templates where organization_id is null;

drop policy templates_tenant_select on templates;
drop policy templates_tenant_insert on templates;
drop policy templates_tenant_update on templates;
drop policy templates_tenant_delete on templates;
drop trigger touch_updated_at on templates;
drop trigger audit_row_change on templates;

-- The rows without an organization moved out just above.
alter table templates alter column organization_id set not null;
alter table templates drop constraint templates_pkey;
-- tenantry-lint-ignore constraint-without-not-valid: templates holds a few rows per organization, and this transaction already holds its lock
alter table templates add constraint templates_pkey primary key (organization_id, id);
-- The primary key now leads with organization_id.
drop index templates_organization_id_idx;

select app.enable_tenant_isolation('templates');
