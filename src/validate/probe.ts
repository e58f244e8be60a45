import type { SqlSession } from '../db/connection.js';
import { ROLES, quoteIdent } from '../db/roles.js';
import { contextStatements } from '../db/tenant-context.js';
import { type TenantTable, displayName, qualified } from './catalog.js';
import type { RuleLog } from './findings.js';
import { type RowQuery, bypassRowLevelSecurity, countRows, inRolledBackTransaction } from './row-counts.js';
import { organizationsPerNode } from './probe-nodes.js';

type Action = 'select' | 'update' | 'delete';

/**
 * The live probe: what the catalog rules infer, shown with real rows. As tenantry_app, with
 * no tenant context every tenant table must look empty (shared tables: only public rows); in
 * an organization's context it must see every one of its own rows, and no statement may read,
 * update or delete another organization's rows. The context is set exactly as withTenant sets
 * it (`SET LOCAL`, which Citus carries to the workers): a probe through another path could pass
 * while the application sees nothing. On Citus the own rows are checked for an organization on
 * every node that holds tenants. Everything runs in one transaction that is always rolled back.
 */
export async function probeIsolation(session: SqlSession, tables: TenantTable[], log: RuleLog): Promise<void> {
  const [app] = await session.query('select 1 from pg_roles where rolname = $1', [ROLES.app]);
  if (!app) {
    const reason = `role ${ROLES.app} does not exist`;
    for (const rule of ['probe-no-context', 'probe-own-rows', 'probe-cross-tenant'] as const) log.skip(rule, reason);
    return;
  }

  await inRolledBackTransaction(session, 'read write', async () => {
    await bypassRowLevelSecurity(session);
    const organizations = await busiestOrganizations(session, tables);
    if (organizations.length === 0) {
      log.skip('probe-no-context', 'no tenant table has rows to probe');
      log.skip('probe-own-rows', 'no tenant table has rows to probe');
    }
    const [victim, prober] = organizations;
    // Counted while the transaction still sees every row: what each tenant must see of its own.
    const owners = await ownRowsToFind(session, tables, organizations);
    if (organizations.length > 0) await probeWithoutContext(session, tables, log);
    for (const owner of owners) await probeOwnRows(session, owner, log);
    if (victim === undefined || prober === undefined) {
      log.skip(
        'probe-cross-tenant',
        `needs two organizations with rows, found ${organizations.length}; seed a second one to probe cross-tenant access`,
      );
      return;
    }
    await probeAcrossTenants(session, tables, { prober, victim }, log);
  });
}

/** An organization whose own rows the probe looks for, with how many each table holds. */
type Owner = { organizationId: string; node: string | null; expected: { table: TenantTable; rows: number; sql: string }[] };

/**
 * The two busiest organizations and, on Citus, one more for every node that holds a tenant, each
 * with its row count per table as seen past RLS.
 */
async function ownRowsToFind(session: SqlSession, tables: TenantTable[], organizations: string[]): Promise<Owner[]> {
  const chosen = new Map<string, string | null>(organizations.slice(0, 2).map((id) => [id, null]));
  for (const [node, id] of await organizationsPerNode(session, organizations)) chosen.set(id, node);
  const readable = tables.filter((table) => table.appCanSelect);
  const owners: Owner[] = [];
  for (const [organizationId, node] of chosen) {
    const queries = readable.map((table) => ({ subject: table, sql: `select 1 from ${qualified(table)} where ${victimRows(table)}` }));
    const counts = await countRows(session, queries, [organizationId]);
    owners.push({
      organizationId,
      node,
      expected: counts.map((count, i) => ({ table: count.subject, rows: count.rows ?? 0, sql: queries[i]?.sql ?? '' })),
    });
  }
  return owners;
}

/** probe-own-rows: in its own context a tenant sees all of its rows, wherever they are stored. */
async function probeOwnRows(session: SqlSession, owner: Owner, log: RuleLog): Promise<void> {
  await actAsApp(session, owner.organizationId);
  const queries = owner.expected.map(({ table, sql }) => ({ subject: table, sql }));
  const seen = await countRows(session, queries, [owner.organizationId]);
  const where = owner.node ? ` (its rows are on node ${owner.node})` : '';
  for (const [i, { subject, rows, error }] of seen.entries()) {
    const expected = owner.expected[i]?.rows ?? 0;
    log.checked('probe-own-rows');
    const context = `as ${ROLES.app} in organization ${owner.organizationId}${where}, a select of its own rows`;
    if (error !== undefined) log.fail('probe-own-rows', displayName(subject), `${context} failed: ${error}`);
    else if (rows !== expected) log.fail('probe-own-rows', displayName(subject), `${context} sees ${rows} of its ${expected} row(s)`);
  }
}

/** Organizations with rows in the most tables (as platform), richest targets first; at most 100. */
async function busiestOrganizations(session: SqlSession, tables: TenantTable[]): Promise<string[]> {
  const readable = await readableByCurrentRole(session, tables);
  if (readable.length === 0) return [];
  const branches = readable.map((table) => {
    const column = quoteIdent(table.tenantColumn);
    return `select distinct ${column}::text as organization_id from ${qualified(table)} where ${column} is not null`;
  });
  const rows = await session.query<{ organization_id: string }>(
    `select organization_id from (${branches.join('\nunion all ')}) as present
      group by organization_id order by count(*) desc, organization_id limit 100`,
  );
  return rows.map((row) => row.organization_id);
}

/** The tables whose tenant column the current role may read (a non-superuser acts as platform). */
async function readableByCurrentRole(session: SqlSession, tables: TenantTable[]): Promise<TenantTable[]> {
  const rows = await session.query<{ oid: string }>(
    `select t.oid::text as oid from unnest($1::text[]::oid[], $2::text[]) as t(oid, tenant_column)
      where has_column_privilege(t.oid, t.tenant_column, 'SELECT')`,
    [tables.map((t) => t.oid), tables.map((t) => t.tenantColumn)],
  );
  const readable = new Set(rows.map((row) => row.oid));
  return tables.filter((table) => readable.has(table.oid));
}

async function probeWithoutContext(session: SqlSession, tables: TenantTable[], log: RuleLog): Promise<void> {
  await actAsApp(session, '');
  const queries: RowQuery<TenantTable>[] = tables
    .filter((table) => table.appCanSelect)
    .map((table) => ({
      subject: table,
      // Shared tables may show their public (NULL) rows; tenant columns are never NULL otherwise.
      sql: `select 1 from ${qualified(table)} where ${quoteIdent(table.tenantColumn)} is not null`,
    }));
  for (const { subject, rows, error } of await countRows(session, queries)) {
    log.checked('probe-no-context');
    if (error !== undefined) {
      log.fail('probe-no-context', displayName(subject), `as ${ROLES.app} with no tenant context, a select failed: ${error}`);
    } else if (rows > 0) {
      const which = subject.kind === 'shared' ? 'row(s) that belong to an organization' : 'row(s)';
      log.fail('probe-no-context', displayName(subject), `as ${ROLES.app} with no tenant context, a select sees ${rows} ${which}`);
    }
  }
}

async function probeAcrossTenants(
  session: SqlSession,
  tables: TenantTable[],
  { prober, victim }: { prober: string; victim: string },
  log: RuleLog,
): Promise<void> {
  await actAsApp(session, prober);
  const statements: Record<Action, (table: TenantTable) => string | null> = {
    select: (table) => (table.appCanSelect ? `select 1 from ${qualified(table)} where ${victimRows(table)}` : null),
    update: (table) =>
      table.appCanSelect && table.appCanUpdate
        ? `update ${qualified(table)} set ${quoteIdent(table.tenantColumn)} = ${quoteIdent(table.tenantColumn)}
            where ${victimRows(table)} returning 1`
        : null,
    delete: (table) =>
      table.appCanSelect && table.appCanDelete ? `delete from ${qualified(table)} where ${victimRows(table)} returning 1` : null,
  };
  // Selects first, then updates, then deletes, each batch one statement; the rollback undoes any leak.
  for (const action of ['select', 'update', 'delete'] as const) {
    const queries = tables.flatMap((table) => {
      const sql = statements[action](table);
      return sql === null ? [] : [{ subject: table, sql }];
    });
    for (const { subject, rows, error } of await countRows(session, queries, [victim])) {
      log.checked('probe-cross-tenant');
      const context = `as ${ROLES.app} in organization ${prober}, ${action === 'update' ? 'an' : 'a'} ${action} of organization ${victim}'s rows`;
      if (error !== undefined) {
        log.fail('probe-cross-tenant', displayName(subject), `${context} failed instead of matching nothing: ${error}`);
      } else if (rows > 0) {
        log.fail('probe-cross-tenant', displayName(subject), `${context} matched ${rows} row(s)`);
      }
    }
  }
}

function victimRows(table: TenantTable): string {
  return `${quoteIdent(table.tenantColumn)} = $1::uuid`;
}

/**
 * Becomes tenantry_app for the rest of the transaction with the given tenant ('' = none) and
 * no acting user, through withTenant's own statements. The lock timeout keeps a leaky probe
 * from waiting on live traffic's row locks.
 */
async function actAsApp(session: SqlSession, organizationId: string): Promise<void> {
  for (const statement of contextStatements(ROLES.app, { organizationId, userId: null, requestId: null, ipAddress: null, userAgent: null })) {
    await session.query(statement);
  }
  await session.query("set local lock_timeout = '5s'");
}
