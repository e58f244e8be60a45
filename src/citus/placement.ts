import { displayName } from '../validate/catalog.js';
import type { CitusCatalog, CitusTable } from './catalog.js';

/**
 * What `tenantry db distribute` makes of each table:
 * - `distributed`: hash-distributed by `column`, all in one co-location group, so one tenant's
 *   rows of every table live on the same node and joins and foreign keys between them stay local;
 * - `reference`: one copy on every node, for tables every tenant reads;
 * - `local`: left on the coordinator as a plain table.
 */
export type Placement =
  | { kind: 'distributed'; table: CitusTable; column: string; reason: string }
  | { kind: 'reference' | 'local'; table: CitusTable; reason: string };

/** The tenant root: a tenant's `organization_id` is this table's `id`. */
export const TENANT_ROOT = { schema: 'public', name: 'organizations' } as const;

/** The migrator's bookkeeping: only the migrator on the coordinator reads it, so nothing gains from copies. */
const LOCAL_TABLES = new Set(['public.tenantry_migrations']);

/**
 * Decides every table's placement from the catalog alone.
 *
 * `organizations` is distributed by its own `id`, co-located with the tenant tables, unless a
 * table that must be a reference table has a foreign key to it: Citus lets a reference table
 * reference only reference tables, so then `organizations` becomes one too (it holds one row
 * per tenant, so it is small, and the size rule says when it no longer is).
 *
 * @example
 * const placements = placeTables(catalog);
 * placements.get(tasksOid); // { kind: 'distributed', column: 'organization_id', … }
 */
export function placeTables(catalog: CitusCatalog): Map<string, Placement> {
  const placements = new Map<string, Placement>();
  let root: CitusTable | undefined;
  for (const table of catalog.tables) {
    if (isTenantRoot(table)) root = table;
    else placements.set(table.oid, placeOrdinaryTable(table));
  }
  if (!root) return placements;

  const referencingReferenceTables = [
    ...new Set(
      catalog.foreignKeys
        .filter((fk) => fk.parentOid === root.oid && placements.get(fk.childOid)?.kind === 'reference')
        .map((fk) => displayName(fk.child)),
    ),
  ].sort();
  placements.set(
    root.oid,
    referencingReferenceTables.length > 0
      ? {
          kind: 'reference',
          table: root,
          reason: `tenant root; a reference table, not distributed by id, because reference tables ${referencingReferenceTables.join(', ')} have foreign keys to it`,
        }
      : { kind: 'distributed', table: root, column: 'id', reason: 'tenant root, distributed by its own id' },
  );
  return placements;
}

export function isTenantRoot(table: { schema: string; name: string }): boolean {
  return table.schema === TENANT_ROOT.schema && table.name === TENANT_ROOT.name;
}

function placeOrdinaryTable(table: CitusTable): Placement {
  if (LOCAL_TABLES.has(`${table.schema}.${table.name}`)) {
    return { kind: 'local', table, reason: 'migration history, read only by the migrator on the coordinator' };
  }
  switch (table.organizationId) {
    case 'not null':
      return { kind: 'distributed', table, column: 'organization_id', reason: 'tenant table' };
    case 'nullable':
      return {
        kind: 'reference',
        table,
        reason: 'nullable organization_id: its NULL rows belong to no tenant, so it cannot be distributed by it',
      };
    case 'absent':
      return { kind: 'reference', table, reason: 'platform table (no organization_id)' };
  }
}
