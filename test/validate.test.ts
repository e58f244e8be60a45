import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Finding, type ValidationReport, validateDatabase } from '../src/validate/index.js';
import { useMigratedTestDatabase } from './support/migrated-database.js';

const ORG_A = '0a000000-0000-4000-8000-000000000001';
const ORG_B = '0b000000-0000-4000-8000-000000000001';
const USER_A = '0a000000-0000-4000-8000-0000000000a1';
const USER_B = '0b000000-0000-4000-8000-0000000000b1';
const PROJECT_A = '0a000000-0000-4000-8000-0000000000b1';
const SPRINT_A = '0a000000-0000-4000-8000-0000000000c1';
const TASK_A = '0a000000-0000-4000-8000-0000000000d1';
const SNIPPET_PUBLIC = '0c000000-0000-4000-8000-000000000001';
const SNIPPET_B = '0b000000-0000-4000-8000-0000000000e1';

/** Two tenants with a little of everything, inserted as the superuser (past RLS), so the probe has rows to look for. */
const SEED = `
  insert into users (id, name, email) values
    ('${USER_A}', 'Ada', 'ada@a.test'), ('${USER_B}', 'Bo', 'bo@b.test');
  insert into organizations (id, name, slug) values
    ('${ORG_A}', 'Org A', 'org-a'), ('${ORG_B}', 'Org B', 'org-b');
  insert into members (organization_id, user_id, role) values
    ('${ORG_A}', '${USER_A}', 'owner'), ('${ORG_B}', '${USER_B}', 'owner');
  insert into projects (organization_id, id, name, key, owner_id) values
    ('${ORG_A}', '${PROJECT_A}', 'Apollo', 'APO', '${USER_A}'),
    ('${ORG_B}', '0b000000-0000-4000-8000-0000000000b2', 'Borealis', 'BOR', '${USER_B}');
  insert into sprints (organization_id, id, project_id, name, start_date, end_date) values
    ('${ORG_A}', '${SPRINT_A}', '${PROJECT_A}', 'Sprint 1', '2025-01-06', '2025-01-17'),
    ('${ORG_B}', '0b000000-0000-4000-8000-0000000000c2', '0b000000-0000-4000-8000-0000000000b2', 'Sprint 1', '2025-01-06', '2025-01-17');
  insert into tasks (organization_id, id, project_id, number, title, sprint_id, status, assignee_id) values
    ('${ORG_A}', '${TASK_A}', '${PROJECT_A}', 1, 'Launch', '${SPRINT_A}', 'done', '${USER_A}'),
    ('${ORG_B}', '0b000000-0000-4000-8000-0000000000d2', '0b000000-0000-4000-8000-0000000000b2', 1, 'Lift off', null, 'todo', '${USER_B}');
  insert into comments (organization_id, task_id, author_id, body) values
    ('${ORG_A}', '${TASK_A}', '${USER_A}', 'Shipped'),
    ('${ORG_B}', '0b000000-0000-4000-8000-0000000000d2', '${USER_B}', 'Soon');
  insert into templates (id, organization_id, name, category) values
    ('0a000000-0000-4000-8000-0000000000e1', '${ORG_A}', 'A notes', 'document'),
    ('0b000000-0000-4000-8000-0000000000e2', '${ORG_B}', 'B notes', 'document');
  insert into public_templates (id, name, category) values
    ('0c000000-0000-4000-8000-000000000002', 'Kickoff', 'project');`;

/**
 * A shared table, as templates were before 0015: a nullable organization_id whose NULL rows
 * are public. No table of the schema has that shape any more; the rules for it stay.
 */
const SHARED_TABLE = `
  set role tenantry_owner;
  create table snippets (
    id              uuid primary key default gen_random_uuid(),
    organization_id uuid references organizations (id) on delete cascade,
    name            text not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
  );
  create index snippets_organization_id_idx on snippets (organization_id);
  alter table snippets enable row level security;
  alter table snippets force row level security;
  create policy snippets_tenant_select on snippets for select
    using (organization_id is null or organization_id = app.current_organization_id());
  create policy snippets_tenant_insert on snippets for insert with check (organization_id = app.current_organization_id());
  create policy snippets_tenant_update on snippets for update
    using (organization_id = app.current_organization_id()) with check (organization_id = app.current_organization_id());
  create policy snippets_tenant_delete on snippets for delete using (organization_id = app.current_organization_id());
  grant select, insert, update, delete on snippets to tenantry_app, tenantry_platform;
  create trigger touch_updated_at before update on snippets for each row execute function app.touch_updated_at();
  create trigger audit_row_change after insert or update or delete on snippets for each row execute function app.audit_row_change();
  reset role;
  insert into snippets (id, organization_id, name) values
    ('${SNIPPET_PUBLIC}', null, 'Kickoff'), ('${SNIPPET_B}', '${ORG_B}', 'B notes');`;

/** The messages of one rule's findings on one table, one a line, for toMatch. */
function messages(findings: Finding[], rule: string, table: string): string {
  return findings
    .filter((f) => f.rule === rule && f.table === table)
    .map((f) => f.message)
    .join('\n');
}

/** The rule and table of each finding, for exact comparisons. */
function located(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => `${f.rule} ${f.table ?? '(database)'}`))].sort();
}

describe('tenantry db validate', () => {
  const test = useMigratedTestDatabase();
  let emptyReport: ValidationReport;
  const exec = (script: string) => test.db.session((session) => session.exec(script));

  /** Breaks the schema or data, validates, and always repairs, so the next test starts clean. */
  async function findingsWhile(breakage: string, repair: string): Promise<Finding[]> {
    await exec(breakage);
    try {
      return (await validateDatabase(test.db)).findings;
    } finally {
      await exec(repair);
    }
  }

  beforeAll(async () => {
    emptyReport = await validateDatabase(test.db);
    await exec(SEED);
  });
  afterEach(async () => {
    const report = await validateDatabase(test.db);
    expect(report.findings, 'a test left the database broken').toEqual([]);
  });

  it('passes a freshly migrated database, skipping the probe while no tenant has rows', () => {
    expect(emptyReport.findings).toEqual([]);
    expect(emptyReport.ok).toBe(true);
    expect(emptyReport.skipped.map((s) => s.rule).sort()).toEqual(['probe-cross-tenant', 'probe-no-context', 'probe-own-rows']);
  });

  it('passes with two tenants seeded, and the live probe really runs', async () => {
    const report = await validateDatabase(test.db);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.skipped).toEqual([]);
    expect(report.checksByRule['probe-no-context']).toBeGreaterThan(0);
    // select, update and delete on every tenant table the app may touch.
    expect(report.checksByRule['probe-cross-tenant']).toBeGreaterThan(2 * (report.checksByRule['probe-no-context'] ?? 0));
    expect(report.checksByRule['orphaned-row']).toBeGreaterThan(0);
    expect(report.checks).toBe(Object.values(report.checksByRule).reduce((sum, n) => sum + n, 0));
  });

  it('rls-enabled: a table with RLS disabled, which the probe then sees through', async () => {
    const findings = await findingsWhile(
      'alter table projects disable row level security',
      'alter table projects enable row level security',
    );
    expect(located(findings)).toEqual([
      'probe-cross-tenant projects',
      'probe-no-context projects',
      'rls-enabled projects',
    ]);
    // The probe's updates and deletes were rolled back.
    expect(await test.db.query('select id from projects')).toHaveLength(2);
  });

  it('rls-forced: a table whose owner passes RLS', async () => {
    const findings = await findingsWhile(
      'alter table projects no force row level security',
      'alter table projects force row level security',
    );
    expect(located(findings)).toEqual(['rls-forced projects']);
  });

  it('policy-missing: a dropped policy, naming the command', async () => {
    const findings = await findingsWhile(
      'drop policy projects_tenant_update on projects',
      `create policy projects_tenant_update on projects for update
         using (organization_id = (select app.current_organization_id()))
         with check (organization_id = (select app.current_organization_id()))`,
    );
    expect(located(findings)).toEqual(['policy-missing projects']);
    expect(findings[0]?.message).toMatch(/UPDATE/);
  });

  it('policy-unsafe: an always-true policy', async () => {
    const findings = await findingsWhile(
      'create policy projects_peek on projects for select using (true)',
      'drop policy projects_peek on projects',
    );
    expect(messages(findings, 'policy-unsafe', 'projects')).toMatch(/policy projects_peek \(SELECT\) USING is always true/);
  });

  it('policy-unsafe: a policy that does not read the tenant context', async () => {
    const findings = await findingsWhile(
      `create policy projects_named on projects for select using (name <> '')`,
      'drop policy projects_named on projects',
    );
    expect(messages(findings, 'policy-unsafe', 'projects')).toMatch(/projects_named \(SELECT\) USING does not read the tenant context/);
  });

  it('policy-unsafe: public rows of a shared table writable through the app', async () => {
    const findings = await findingsWhile(
      `${SHARED_TABLE}
       alter policy snippets_tenant_update on snippets
         using (organization_id is null or organization_id = (select app.current_organization_id()))`,
      'drop table snippets',
    );
    expect(located(findings)).toEqual(['policy-unsafe snippets']);
    expect(findings[0]?.message).toMatch(/snippets_tenant_update \(UPDATE\) USING lets rows with organization_id IS NULL/);
  });

  it('tenant-index: a tenant table where organization_id leads no index', async () => {
    const findings = await findingsWhile(
      `set role tenantry_owner;
       create table widgets (
         id uuid primary key default gen_random_uuid(),
         organization_id uuid not null,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now()
       );
       select app.enable_tenant_isolation('widgets');
       reset role;`,
      'create index widgets_organization_id_idx on widgets (organization_id)',
    );
    expect(located(findings)).toEqual(['tenant-index widgets']);
    // With the index in place the same table passes; then it goes.
    expect((await validateDatabase(test.db)).findings).toEqual([]);
    await exec('drop table widgets');
  });

  it('fk-index: a foreign key no index leads with', async () => {
    const findings = await findingsWhile(
      'drop index comments_organization_id_author_id_idx',
      'create index comments_organization_id_author_id_idx on comments (organization_id, author_id)',
    );
    expect(located(findings)).toEqual(['fk-index comments']);
    expect(findings[0]?.message).toMatch(/organization_id, author_id/);
  });

  it('view-invoker: a view that reads with its owner\'s rights', async () => {
    const findings = await findingsWhile(
      'create view project_names as select organization_id, name from projects',
      'alter view project_names set (security_invoker = true)',
    );
    expect(located(findings)).toEqual(['view-invoker project_names']);
    expect((await validateDatabase(test.db)).findings).toEqual([]);
    await exec('drop view project_names');
  });

  it('definer-search-path: a security definer function without a fixed search_path', async () => {
    const findings = await findingsWhile(
      `create function app.count_projects() returns bigint language sql security definer
         as 'select count(*) from public.projects'`,
      'alter function app.count_projects() set search_path = pg_catalog',
    );
    expect(located(findings)).toEqual(['definer-search-path app.count_projects()']);
    expect((await validateDatabase(test.db)).findings).toEqual([]);
    await exec('drop function app.count_projects()');
  });

  it('app-role: tenantry_app owning an object', async () => {
    const findings = await findingsWhile(
      'create sequence app_counter; alter sequence app_counter owner to tenantry_app',
      'drop sequence app_counter',
    );
    expect(located(findings)).toEqual(['app-role app_counter']);
  });

  it('audit-trigger: a tenant table without its audit trigger, or with it disabled', async () => {
    const dropped = await findingsWhile(
      'drop trigger audit_row_change on projects',
      `create trigger audit_row_change after insert or update or delete on projects
         for each row execute function app.audit_row_change()`,
    );
    expect(located(dropped)).toEqual(['audit-trigger projects']);
    const disabled = await findingsWhile(
      'alter table projects disable trigger audit_row_change',
      'alter table projects enable trigger audit_row_change',
    );
    expect(located(disabled)).toEqual(['audit-trigger projects']);
  });

  it('orphaned-row: a row loaded with triggers off (session_replication_role = replica)', async () => {
    const findings = await findingsWhile(
      `set session_replication_role = replica;
       insert into comments (organization_id, task_id, body)
         values ('${ORG_A}', '0a000000-0000-4000-8000-00000000dead', 'orphan');
       set session_replication_role = default;`,
      `delete from comments where body = 'orphan'`,
    );
    expect(located(findings)).toEqual(['orphaned-row comments']);
    expect(findings[0]?.message).toMatch(/^1 row\(s\) whose comments_organization_id_task_id_fkey/);
  });

  it('orphaned-row: a row under a NOT VALID foreign key', async () => {
    const findings = await findingsWhile(
      `alter table comments drop constraint comments_organization_id_task_id_fkey;
       insert into comments (organization_id, task_id, body)
         values ('${ORG_A}', '0a000000-0000-4000-8000-00000000dead', 'orphan');
       alter table comments add constraint comments_organization_id_task_id_fkey
         foreign key (organization_id, task_id) references tasks (organization_id, id) on delete cascade not valid;`,
      `delete from comments where body = 'orphan';
       alter table comments validate constraint comments_organization_id_task_id_fkey;`,
    );
    expect(located(findings)).toEqual(['orphaned-row comments']);
  });

  it('cross-tenant-reference: a reference into another organization, generated from the foreign keys', async () => {
    const findings = await findingsWhile(
      `${SHARED_TABLE}
       set role tenantry_owner;
       create table snippet_uses (
         organization_id uuid not null references organizations (id) on delete cascade,
         id uuid not null default gen_random_uuid(),
         snippet_id uuid not null references snippets (id),
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         primary key (organization_id, id)
       );
       create index snippet_uses_snippet_id_idx on snippet_uses (snippet_id);
       select app.enable_tenant_isolation('snippet_uses');
       reset role;
       insert into snippet_uses (organization_id, snippet_id) values
         ('${ORG_A}', '${SNIPPET_PUBLIC}'), ('${ORG_A}', '${SNIPPET_B}');`,
      'drop table snippet_uses; drop table snippets',
    );
    // The public snippet is anyone's to use; organization B's is not.
    expect(located(findings)).toEqual(['cross-tenant-reference snippet_uses']);
    expect(findings[0]?.message).toMatch(/^1 row\(s\) whose snippet_uses_snippet_id_fkey points at a row of snippets/);
  });

  it('model-rule: rows breaking a NOT VALID check constraint', async () => {
    const findings = await findingsWhile(
      `alter table projects add constraint projects_key_short check (length(key) <= 2) not valid`,
      'alter table projects drop constraint projects_key_short',
    );
    expect(located(findings)).toEqual(['model-rule projects']);
    expect(findings[0]?.message).toMatch(/^2 row\(s\) violating NOT VALID constraint projects_key_short/);
  });

  it('model-rule: a sprint that ends before it starts, once the constraint is gone', async () => {
    const findings = await findingsWhile(
      `alter table sprints drop constraint sprints_dates_check;
       update sprints set end_date = start_date - 1 where id = '${SPRINT_A}';`,
      `update sprints set end_date = start_date + 11 where id = '${SPRINT_A}';
       alter table sprints add constraint sprints_dates_check check (end_date >= start_date);`,
    );
    expect(located(findings)).toEqual(['model-rule sprints']);
  });

  it('probe-own-rows: a policy that hides the tenant its own rows, which no other rule sees', async () => {
    const findings = await findingsWhile(
      `alter policy projects_tenant_select on projects
         using (organization_id = (select app.current_organization_id()) and name is null)`,
      `alter policy projects_tenant_select on projects
         using (organization_id = (select app.current_organization_id()))`,
    );
    expect(located(findings)).toEqual(['probe-own-rows projects']);
    expect(messages(findings, 'probe-own-rows', 'projects')).toMatch(/a select of its own rows sees 0 of its [1-9]\d* row\(s\)/);
  });

  it('probe: catches a leaky policy that the catalog rules let through', async () => {
    const findings = await findingsWhile(
      `alter policy projects_tenant_select on projects
         using (organization_id = (select app.current_organization_id()) or organization_id is not null)`,
      `alter policy projects_tenant_select on projects
         using (organization_id = (select app.current_organization_id()))`,
    );
    expect(located(findings)).toEqual(['probe-cross-tenant projects', 'probe-no-context projects']);
    expect(messages(findings, 'probe-no-context', 'projects')).toMatch(/with no tenant context, a select sees 2 row\(s\)/);
    expect(messages(findings, 'probe-cross-tenant', 'projects')).toMatch(/a select of organization [0-9a-f-]+'s rows matched 1 row\(s\)/);
  });
});
