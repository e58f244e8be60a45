/** Fixtures the Citus tests share (no tests here, so importing it registers none twice). */

/** A tenant schema in miniature that Citus accepts as it is. */
export const COMPLIANT_SCHEMA = `
  create table users (id uuid primary key, email text not null unique);
  create table organizations (id uuid primary key, owner_id uuid references users (id) on delete set null);
  create table members (
    organization_id uuid not null references organizations (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (organization_id, user_id)
  );
  create table projects (
    organization_id uuid not null references organizations (id) on delete cascade,
    id uuid not null,
    owner_id uuid,
    primary key (organization_id, id),
    foreign key (organization_id, owner_id) references members (organization_id, user_id)
  );
  create table tasks (
    organization_id uuid not null references organizations (id) on delete cascade,
    id uuid not null,
    project_id uuid not null,
    primary key (organization_id, id),
    foreign key (organization_id, project_id) references projects (organization_id, id) on delete cascade
  );
  create table audit_logs (organization_id uuid not null, id uuid not null, primary key (organization_id, id));`;

/** What the plan for COMPLIANT_SCHEMA must be, call for call. */
export const COMPLIANT_PLAN = [
  "select create_reference_table('public.users')",
  "select create_distributed_table('public.organizations', 'id')",
  "select create_distributed_table('public.members', 'organization_id', colocate_with => 'public.organizations')",
  "select create_distributed_table('public.projects', 'organization_id', colocate_with => 'public.organizations')",
  "select create_distributed_table('public.audit_logs', 'organization_id', colocate_with => 'public.organizations')",
  "select create_distributed_table('public.tasks', 'organization_id', colocate_with => 'public.organizations')",
];
