-- Reverses 0002_organizations, in reverse order of creation. A dropped table takes its
-- indexes, policies, triggers and grants along; only what lives on 0001's tables, and the
-- policies that read members, are dropped one by one.

drop policy users_member_select on users;
alter table users no force row level security;
alter table users disable row level security;

drop index sessions_active_organization_id_idx;
alter table sessions drop constraint sessions_active_organization_id_fkey;

drop table audit_logs;
drop table subscriptions;
drop table invitations;

-- The rest of organizations' equipment goes with the table.
drop policy organizations_tenant_select on organizations;

drop table members;
drop table organizations;
