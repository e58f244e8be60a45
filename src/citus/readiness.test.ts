import { beforeAll, describe, expect, it } from 'vitest';
import { useMigratedTestDatabase } from '../../test/support/migrated-database.js';
import type { Finding } from '../validate/index.js';
import { type CitusReport, DEFAULT_REFERENCE_LIMITS, type ReferenceLimits, checkCitusReadiness } from './index.js';

/** The rule and table of each finding, for exact comparisons. */
function located(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => `${f.rule} ${f.table ?? '(database)'}`))].sort();
}

const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.table === b.table && a.message === b.message;

describe('Citus readiness (tenantry db validate --citus)', () => {
  const test = useMigratedTestDatabase();
  let baseline: CitusReport;
  const exec = (script: string) => test.db.session((session) => session.exec(script));

  /** Changes the schema, checks, always undoes the change, and returns only the findings the change added. */
  async function findingsWhile(change: string, undo: string, limits?: ReferenceLimits): Promise<CitusReport> {
    await exec(change);
    try {
      const report = await checkCitusReadiness(test.db, limits);
      return { ...report, findings: report.findings.filter((f) => !baseline.findings.some((b) => sameFinding(f, b))) };
    } finally {
      await exec(undo);
    }
  }

  beforeAll(async () => {
    baseline = await checkCitusReadiness(test.db);
  });
  it('finds the migrated schema ready, with nothing to note: no shared table, organizations distributed by id', () => {
    expect(baseline).toMatchObject({ ok: true, findings: [], notes: [] });
    for (const rule of ['citus-primary-key', 'citus-unique', 'citus-foreign-key', 'citus-foreign-key-action', 'citus-reference-size'] as const) {
      expect(baseline.checksByRule[rule], rule).toBeGreaterThan(0);
    }
  });

  it('fails an ON DELETE SET NULL (col) key on a tenant table, as migrations/0014 removed them', async () => {
    const report = await findingsWhile(
      `alter table tasks drop constraint tasks_organization_id_assignee_id_fkey;
       alter table tasks add constraint tasks_organization_id_assignee_id_fkey foreign key (organization_id, assignee_id)
         references members (organization_id, user_id) on delete set null (assignee_id)`,
      `alter table tasks drop constraint tasks_organization_id_assignee_id_fkey;
       alter table tasks add constraint tasks_organization_id_assignee_id_fkey foreign key (organization_id, assignee_id)
         references members (organization_id, user_id)`,
    );
    expect(report.findings.map((f) => f.message)).toEqual([
      'foreign key tasks_organization_id_assignee_id_fkey (organization_id, assignee_id) → members is ON DELETE SET NULL (assignee_id); ' +
        'Citus rejects that on a key that includes organization_id (citusdata/citus#7132)',
    ]);
  });

  it('fails a tenant table whose primary key, unique keys and foreign key leave organization_id out', async () => {
    const report = await findingsWhile(
      `create table gadgets (
         organization_id uuid not null references organizations (id) on delete cascade,
         id uuid not null,
         primary key (organization_id, id),
         unique (id)
       );
       create table widgets (
         organization_id uuid not null references organizations (id) on delete cascade,
         id uuid primary key,
         code text unique,
         gadget_id uuid references gadgets (id)
       );
       create unique index widgets_lower_code_idx on widgets (lower(code));`,
      'drop table widgets; drop table gadgets;',
    );
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      { rule: 'citus-primary-key', table: 'widgets', message: 'primary key widgets_pkey (id) does not include organization_id' },
      {
        rule: 'citus-unique',
        table: 'gadgets',
        message: 'unique constraint gadgets_id_key (id) does not include organization_id; Citus can only enforce it within one shard',
      },
      {
        rule: 'citus-unique',
        table: 'widgets',
        message: 'unique constraint widgets_code_key (code) does not include organization_id; Citus can only enforce it within one shard',
      },
      {
        rule: 'citus-unique',
        table: 'widgets',
        message: 'unique index widgets_lower_code_idx ((expression)) does not include organization_id; Citus can only enforce it within one shard',
      },
      {
        rule: 'citus-foreign-key',
        table: 'widgets',
        message: 'foreign key widgets_gadget_id_fkey (gadget_id) → gadgets (id) does not pair organization_id with gadgets.organization_id at the same position',
      },
    ]);
  });

  it('fails a tenant table with no primary key at all', async () => {
    const report = await findingsWhile(
      'create table widgets (organization_id uuid not null, name text)',
      'drop table widgets',
    );
    expect(located(report.findings)).toEqual(['citus-primary-key widgets']);
  });

  it('fails a foreign key that carries organization_id at the wrong position, or cascades updates through it', async () => {
    const report = await findingsWhile(
      `create table widgets (
         organization_id uuid not null,
         id uuid not null,
         project_id uuid,
         primary key (organization_id, id),
         constraint widgets_swapped_fkey foreign key (project_id, organization_id) references projects (organization_id, id),
         constraint widgets_project_fkey foreign key (organization_id, project_id) references projects (organization_id, id)
           on update cascade
       )`,
      'drop table widgets',
    );
    expect(report.findings.map((f) => [f.rule, f.table, f.message.split(' ')[2]])).toEqual([
      ['citus-foreign-key', 'widgets', 'widgets_swapped_fkey'],
      ['citus-foreign-key-action', 'widgets', 'widgets_project_fkey'],
    ]);
    expect(report.findings[1]?.message).toMatch(/is ON UPDATE CASCADE; Citus rejects that/);
  });

  it('fails a platform table that references a distributed table', async () => {
    const report = await findingsWhile(
      `create table project_stars (
         id uuid primary key,
         project_org uuid not null,
         project_id uuid not null,
         foreign key (project_org, project_id) references projects (organization_id, id)
       )`,
      'drop table project_stars',
    );
    expect(report.findings).toEqual([
      {
        rule: 'citus-foreign-key',
        table: 'project_stars',
        message:
          'foreign key project_stars_project_org_project_id_fkey (project_org, project_id) → projects: ' +
          'a reference table may reference only reference tables, and projects is distributed',
      },
    ]);
  });

  it('fails a reference table above the size limit, from the planner statistics', async () => {
    const limits = { ...DEFAULT_REFERENCE_LIMITS, maxRows: 2 };
    const report = await findingsWhile(
      `insert into users (name, email) values ('A', 'a@size.test'), ('B', 'b@size.test'), ('C', 'c@size.test');
       analyze users;`,
      `delete from users where email like '%@size.test'; analyze users;`,
      limits,
    );
    expect(located(report.findings)).toEqual(['citus-reference-size users']);
    expect(report.findings[0]?.message).toMatch(/^about 3 rows and [\d.]+ MB, over the reference-table limit of 2 rows or 100\.0 MB/);
  });

  it('fails a table whose organization_id is nullable: it would be a reference table holding every tenant', async () => {
    const report = await findingsWhile(
      'create table snippets (id uuid primary key, organization_id uuid references organizations (id) on delete cascade)',
      'drop table snippets',
    );
    expect(located(report.findings)).toEqual(['citus-shared-table snippets']);
  });

  it('fails a policy with a subquery, as 0014 removed them', async () => {
    const report = await findingsWhile(
      `alter policy users_member_select on users using (id in (select m.user_id from members m))`,
      `alter policy users_member_select on users using (id = app.current_user_id() or app.is_member_of_current_organization(id))`,
    );
    expect(located(report.findings)).toEqual(['citus-policy-subquery public.users']);
  });

  it("fails a trigger function that reads tg_table_name, which is the shard's name on a worker", async () => {
    const report = await findingsWhile(
      `create function app.note_table() returns trigger language plpgsql set search_path = pg_catalog as $$
         begin raise notice '%', tg_table_name; return new; end $$;
       create trigger note_table before insert on tasks for each row execute function app.note_table();`,
      'drop trigger note_table on tasks; drop function app.note_table();',
    );
    expect(located(report.findings)).toEqual(['citus-trigger app.note_table()']);
    expect(report.findings[0]?.message).toMatch(/^the trigger function of tasks: reads tg_table_name/);
  });

  it('fails a function a shard calls that reads tables but cannot be prepared: SQL, or outside schema app', async () => {
    const report = await findingsWhile(
      `create function app.task_count() returns bigint language sql stable security definer set search_path = pg_catalog
         as $$ select count(*) from public.tasks $$;
       create function public.project_count() returns bigint language plpgsql stable security definer set search_path = pg_catalog
         as $$ begin return (select count(*) from public.projects); end $$;`,
      'drop function app.task_count(); drop function public.project_count();',
    );
    expect(located(report.findings)).toEqual(['citus-shard-function app.task_count()', 'citus-shard-function project_count()']);
  });

  it('checks every policy, trigger function and shard-run function of the migrated schema', () => {
    for (const rule of ['citus-policy-subquery', 'citus-trigger', 'citus-shard-function'] as const) {
      expect(baseline.checksByRule[rule], rule).toBeGreaterThan(0);
    }
  });
});
