import type { Database } from '../../src/db/connection.js';
import { quoteIdent } from '../../src/db/roles.js';

/** One broken rule, named so a failing test says what and where. */
export type Violation = { rule: string; table: string; detail: string };

type AuditedTable = { table: string; tenantColumn: string };

/**
 * Rules a fault must never break, checked as a superuser (no RLS) after the dust settles:
 *  - every task belongs to an existing project of its organization;
 *  - no project has two tasks with the same number;
 *  - for every audited tenant table and organization, live rows = audit inserts − audit deletes
 *    (the audit trigger writes in the same transaction, so a change is either wholly there,
 *    trail included, or wholly absent);
 *  - every task has exactly one audit 'insert' row naming it.
 */
export async function findInvariantViolations(db: Database): Promise<Violation[]> {
  const violations: Violation[] = [];

  const [orphans] = await db.query<{ n: number }>(
    `select count(*)::int as n from tasks t
      where not exists (select 1 from projects p where p.organization_id = t.organization_id and p.id = t.project_id)`,
  );
  if (orphans && orphans.n > 0) violations.push({ rule: 'task without its project', table: 'tasks', detail: `${orphans.n} task(s)` });

  const duplicates = await db.query<{ project_id: string; number: number; n: number }>(
    `select project_id, number, count(*)::int as n from tasks group by organization_id, project_id, number having count(*) > 1`,
  );
  for (const row of duplicates) {
    violations.push({ rule: 'duplicate task number', table: 'tasks', detail: `project ${row.project_id} number ${row.number} × ${row.n}` });
  }

  for (const { table, tenantColumn } of await auditedTables(db)) {
    const rows = await db.query<{ organization_id: string; live: number; audited: number }>(
      `with live as (
         select ${quoteIdent(tenantColumn)} as organization_id, count(*)::int as n
           from ${quoteIdent(table)} where ${quoteIdent(tenantColumn)} is not null group by 1
       ), audited as (
         select organization_id,
                (count(*) filter (where action = 'insert') - count(*) filter (where action = 'delete'))::int as n
           from audit_logs where resource_type = $1 group by 1
       )
       select coalesce(l.organization_id, a.organization_id) as organization_id,
              coalesce(l.n, 0) as live, coalesce(a.n, 0) as audited
         from live l full join audited a on a.organization_id = l.organization_id
        where coalesce(l.n, 0) <> coalesce(a.n, 0)`,
      [table],
    );
    for (const row of rows) {
      violations.push({
        rule: 'rows and audit trail disagree',
        table,
        detail: `organization ${row.organization_id}: ${row.live} row(s), audit says ${row.audited}`,
      });
    }
  }

  const [untracked] = await db.query<{ n: number }>(
    `select count(*)::int as n from tasks t
      where (select count(*) from audit_logs a
              where a.organization_id = t.organization_id and a.resource_type = 'tasks'
                and a.action = 'insert' and a.resource_id = t.id) <> 1`,
  );
  if (untracked && untracked.n > 0) {
    violations.push({ rule: 'task without exactly one audit insert', table: 'tasks', detail: `${untracked.n} task(s)` });
  }
  return violations;
}

/** Tables carrying the audit trigger, with the column that names their tenant (organizations: id). */
async function auditedTables(db: Database): Promise<AuditedTable[]> {
  const rows = await db.query<{ table_name: string; args: string }>(
    `select c.relname as table_name, encode(t.tgargs, 'escape') as args
       from pg_trigger t
       join pg_class c on c.oid = t.tgrelid
       join pg_namespace n on n.oid = c.relnamespace
      where t.tgname = 'audit_row_change' and not t.tgisinternal and n.nspname = 'public'
      order by 1`,
  );
  // tgargs is the arguments, each followed by a NUL (rendered as \000 by encode … 'escape').
  return rows.map((row) => ({ table: row.table_name, tenantColumn: row.args.split('\\000')[0] || 'organization_id' }));
}
