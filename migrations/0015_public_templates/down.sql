-- Reverses 0015_public_templates: public templates return to templates with a NULL organization.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

drop policy templates_tenant_select on templates;
drop policy templates_tenant_insert on templates;
drop policy templates_tenant_update on templates;
drop policy templates_tenant_delete on templates;
drop trigger touch_updated_at on templates;
drop trigger audit_row_change on templates;

-- tenantry-lint-ignore index-without-concurrently: templates holds a few rows per organization
create index templates_organization_id_idx on templates (organization_id);
alter table templates drop constraint templates_pkey;
-- tenantry-lint-ignore constraint-without-not-valid: templates holds a few rows per organization
alter table templates add constraint templates_pkey primary key (id);
alter table templates alter column organization_id drop not null;

alter table templates no force row level security;
create policy templates_tenant_select on templates for select
  using (organization_id is null
         or organization_id = app.current_organization_id());
create policy templates_tenant_insert on templates for insert
  with check (organization_id = app.current_organization_id());
create policy templates_tenant_update on templates for update
  using (organization_id = app.current_organization_id())
  with check (organization_id = app.current_organization_id());
create policy templates_tenant_delete on templates for delete
  using (organization_id = app.current_organization_id());
create trigger touch_updated_at before update on templates
  for each row execute function app.touch_updated_at();
create trigger audit_row_change after insert or update or delete on templates
  for each row execute function app.audit_row_change();

insert into templates (id, organization_id, name, description, category, content, created_by_id, created_at, updated_at)
select id, null, name, description, category, content, created_by_id, created_at, updated_at
  from public_templates;
alter table templates force row level security;

-- tenantry-lint-ignore drop-table: its rows moved back into templates just above; the code of 0015 reads it
drop table public_templates;
