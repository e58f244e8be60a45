import type { SqlSession } from '../db/connection.js';
import { quoteIdent } from '../db/roles.js';
import {
  APP_SCHEMAS,
  type Catalog,
  type ForeignKey,
  type TableRef,
  displayName,
  findTenantTable,
  qualified,
} from './catalog.js';
import type { RuleLog, RuleName } from './findings.js';
import { type RowQuery, bypassRowLevelSecurity, countRows, inRolledBackTransaction } from './row-counts.js';

type Subject = { rule: RuleName; table: string; problem: string };

/**
 * Constraints marked NOT VALID hold for new rows only; older rows were never checked.
 * (contype 'n' is PostgreSQL 18's NOT VALID NOT NULL; earlier versions have none.)
 */
const UNVALIDATED_CONSTRAINTS_SQL = `
  select n.nspname::text as schema, c.relname::text as name, con.conname::text as constraint,
         con.contype::text as type, pg_get_expr(con.conbin, con.conrelid) as expression,
         (select a.attname::text from pg_attribute a
           where a.attrelid = con.conrelid and a.attnum = con.conkey[1]) as column
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
   where not con.convalidated and con.contype in ('c', 'n') and n.nspname = any($1)
   order by n.nspname, c.relname, con.conname`;

type UnvalidatedConstraint = {
  schema: string;
  name: string;
  constraint: string;
  type: string;
  expression: string | null;
  column: string | null;
};

/**
 * Rules of the model that the schema states as constraints (which may be dropped or NOT
 * VALID, or sidestepped by a replica-mode load). Each counts the rows that break it.
 */
const MODEL_RULES: { table: string; columns: string[]; problem: string; sql: string }[] = [
  {
    table: 'tasks',
    columns: ['organization_id', 'project_id', 'number'],
    problem: 'task number(s) used more than once in the same project',
    sql: 'select 1 from public.tasks group by organization_id, project_id, number having count(*) > 1',
  },
  {
    table: 'tasks',
    columns: ['status', 'completed_at'],
    problem: "task(s) with status 'done' but no completed_at",
    sql: "select 1 from public.tasks where status = 'done' and completed_at is null",
  },
  {
    table: 'sprints',
    columns: ['start_date', 'end_date'],
    problem: 'sprint(s) that end before they start',
    sql: 'select 1 from public.sprints where end_date < start_date',
  },
];

const PUBLIC_COLUMNS_SQL = `
  select c.relname::text as table, a.attname::text as column
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public' and c.relname = any($1) and a.attnum > 0 and not a.attisdropped`;

/**
 * orphaned-row, cross-tenant-reference and model-rule: counts of rows that break the model,
 * read past RLS in a read-only transaction that is rolled back. The queries are generated
 * from the catalog, so a new table or foreign key is covered without touching this file.
 */
export async function checkIntegrity(session: SqlSession, catalog: Catalog, log: RuleLog): Promise<void> {
  const unvalidated = await session.query<UnvalidatedConstraint>(UNVALIDATED_CONSTRAINTS_SQL, [APP_SCHEMAS]);
  const modelRules = await presentModelRules(session, log);

  const crossTenant = catalog.foreignKeys.map((fk) => crossTenantQuery(catalog, fk));
  // Keys pairing the two tenant columns are proven by the catalog alone; they count as checked.
  log.checked('cross-tenant-reference', crossTenant.filter((query) => query === 'paired').length);

  const queries: RowQuery<Subject>[] = [
    ...catalog.foreignKeys.map((fk) => orphanQuery(fk)),
    ...crossTenant.flatMap((query) => (query === null || query === 'paired' ? [] : [query])),
    ...unvalidated.map((constraint) => unvalidatedQuery(constraint)),
    ...modelRules.map((rule) => ({
      subject: { rule: 'model-rule' as const, table: rule.table, problem: rule.problem },
      sql: rule.sql,
    })),
  ];

  const counts = await inRolledBackTransaction(session, 'read only', async () => {
    await bypassRowLevelSecurity(session);
    return countRows(session, queries);
  });
  for (const { subject, rows, error } of counts) {
    log.checked(subject.rule);
    if (error !== undefined) log.fail(subject.rule, subject.table, `could not check ${subject.problem}: ${error}`);
    else if (rows > 0) log.fail(subject.rule, subject.table, `${rows} ${subject.problem}`);
  }
}

/** Child rows whose parent is gone: possible once a foreign key is NOT VALID or its triggers did not fire. */
function orphanQuery(fk: ForeignKey): RowQuery<Subject> {
  // MATCH SIMPLE: a reference with any NULL column is not checked, so neither is it here.
  const complete = fk.columns.map(({ child }) => `c.${quoteIdent(child)} is not null`);
  return {
    subject: {
      rule: 'orphaned-row',
      table: displayName(fk.child),
      problem: `row(s) whose ${fk.name} (${childColumns(fk)}) points at no row of ${displayName(fk.parent)}`,
    },
    sql: `select 1 from ${qualified(fk.child)} c
           where ${complete.join(' and ')}
             and not exists (select from ${qualified(fk.parent)} p where ${joinCondition(fk)})`,
  };
}

/**
 * Rows referencing a parent of another tenant. A foreign key that pairs the two tenant
 * columns rules this out by construction (a row it matches has the same tenant; one it does
 * not match is an orphan), so only the others need a query. Null: not between tenant tables.
 */
function crossTenantQuery(catalog: Catalog, fk: ForeignKey): RowQuery<Subject> | 'paired' | null {
  const child = findTenantTable(catalog.tables, fk.child);
  const parent = findTenantTable(catalog.tables, fk.parent);
  if (!child || !parent) return null;
  const paired = fk.columns.some((pair) => pair.child === child.tenantColumn && pair.parent === parent.tenantColumn);
  if (paired) return 'paired';
  const childTenant = `c.${quoteIdent(child.tenantColumn)}`;
  const parentTenant = `p.${quoteIdent(parent.tenantColumn)}`;
  // A public row of a shared parent (NULL organization) may be referenced by any tenant.
  const publicParent = parent.kind === 'shared' ? ` and ${parentTenant} is not null` : '';
  return {
    subject: {
      rule: 'cross-tenant-reference',
      table: displayName(fk.child),
      problem: `row(s) whose ${fk.name} points at a row of ${displayName(fk.parent)} in another organization`,
    },
    sql: `select 1 from ${qualified(fk.child)} c join ${qualified(fk.parent)} p on ${joinCondition(fk)}
           where ${childTenant} is distinct from ${parentTenant}${publicParent}`,
  };
}

/** `p."x" = c."a" and …` for child alias c and parent alias p. */
function joinCondition(fk: ForeignKey): string {
  return fk.columns.map(({ child, parent }) => `p.${quoteIdent(parent)} = c.${quoteIdent(child)}`).join(' and ');
}

function childColumns(fk: ForeignKey): string {
  return fk.columns.map(({ child }) => child).join(', ');
}

function unvalidatedQuery(constraint: UnvalidatedConstraint): RowQuery<Subject> {
  const table: TableRef = { schema: constraint.schema, name: constraint.name };
  const subject = {
    rule: 'model-rule' as const,
    table: displayName(table),
    problem: `row(s) violating NOT VALID constraint ${constraint.constraint}`,
  };
  // A CHECK passes when its expression is NULL, so `not (…)` counts exactly the violations.
  const condition =
    constraint.type === 'n' && constraint.column !== null
      ? `${quoteIdent(constraint.column)} is null`
      : `not (${constraint.expression})`;
  return { subject, sql: `select 1 from ${qualified(table)} where ${condition}` };
}

/** The model rules whose table and columns exist; the others are reported as skipped. */
async function presentModelRules(session: SqlSession, log: RuleLog): Promise<typeof MODEL_RULES> {
  const columns = await session.query<{ table: string; column: string }>(PUBLIC_COLUMNS_SQL, [
    [...new Set(MODEL_RULES.map((rule) => rule.table))],
  ]);
  return MODEL_RULES.filter((rule) => {
    const present = rule.columns.every((column) => columns.some((c) => c.table === rule.table && c.column === column));
    if (!present) log.skip('model-rule', `${rule.table} (${rule.columns.join(', ')}) does not exist: ${rule.problem} not checked`);
    return present;
  });
}
