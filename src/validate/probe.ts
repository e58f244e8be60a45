import type { SqlSession } from '../db/connection.js';
import { ROLES, quoteIdent } from '../db/roles.js';
import { type TenantTable, displayName, qualified } from './catalog.js';
import type { RuleLog } from './findings.js';
import { type RowQuery, bypassRowLevelSecurity, countRows, inRolledBackTransaction } from './row-counts.js';

type Action = 'select' | 'update' | 'delete';

/**
 * The live probe: what the catalog rules infer, shown with real rows. As tenantry_app, with
 * no tenant context every tenant table must look empty (shared tables: only public rows);
 * in organization A's context no statement may read, update or delete organization B's
 * rows. Everything runs in one transaction that is always rolled back.
 */
export async function probeIsolation(session: SqlSession, tables: TenantTable[], log: RuleLog): Promise<void> {
  const [app] = await session.query('select 1 from pg_roles where rolname = $1', [ROLES.app]);
  if (!app) {
    const reason = `role ${ROLES.app} does not exist`;
    log.skip('probe-no-context', reason);
    log.skip('probe-cross-tenant', reason);
    return;
  }

  await inRolledBackTransaction(session, 'read write', async () => {
    await bypassRowLevelSecurity(session);
    const organizations = await busiestOrganizations(session, tables);
    if (organizations.length === 0) {
      log.skip('probe-no-context', 'no tenant table has rows to probe');
    } else {
      await probeWithoutContext(session, tables, log);
    }
    const [victim, prober] = organizations;
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

/** The two organizations with rows in the most tables (as platform): the richest targets. */
async function busiestOrganizations(session: SqlSession, tables: TenantTable[]): Promise<string[]> {
  const readable = await readableByCurrentRole(session, tables);
  if (readable.length === 0) return [];
  const branches = readable.map((table) => {
    const column = quoteIdent(table.tenantColumn);
    return `select distinct ${column}::text as organization_id from ${qualified(table)} where ${column} is not null`;
  });
  const rows = await session.query<{ organization_id: string }>(
    `select organization_id from (${branches.join('\nunion all ')}) as present
      group by organization_id order by count(*) desc, organization_id limit 2`,
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
 * no acting user, as withTenant would. The lock timeout keeps a leaky probe from waiting on
 * live traffic's row locks.
 */
async function actAsApp(session: SqlSession, organizationId: string): Promise<void> {
  await session.query(
    `select set_config('role', $1, true), set_config('app.organization_id', $2, true),
            set_config('app.user_id', '', true), set_config('app.request_id', '', true),
            set_config('lock_timeout', '5s', true)`,
    [ROLES.app, organizationId],
  );
}
