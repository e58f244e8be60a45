import { displayName } from '../validate/catalog.js';
import type { CitusCatalog, CitusForeignKey, ForeignKeyAction } from './catalog.js';
import { CitusRuleLog, type CitusReport, type ReferenceLimits } from './findings.js';
import { type Placement, isTenantRoot } from './placement.js';
import { checkPlacement, checkShardRules } from './shard-rules.js';

const ACTION_NAMES: Record<ForeignKeyAction, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * Checks the placement against what Citus accepts, from the catalog alone (reads nothing else,
 * changes nothing): keys and foreign keys of distributed tables carry the distribution column,
 * foreign keys run only in directions Citus supports, reference tables are small enough to copy.
 *
 * @example
 * const report = assessCitusReadiness(catalog, placeTables(catalog), DEFAULT_REFERENCE_LIMITS);
 */
export function assessCitusReadiness(
  catalog: CitusCatalog,
  placements: Map<string, Placement>,
  limits: ReferenceLimits,
  /** Also compare a distributed database with the plan (validate; distribute is what fixes it). */
  { live = false }: { live?: boolean } = {},
): CitusReport {
  const log = new CitusRuleLog();
  checkKeys(catalog, placements, log);
  for (const fk of catalog.foreignKeys) checkForeignKey(fk, placements, log);
  checkReferenceTables(placements, limits, log);
  checkShardRules(catalog.shard, log);
  if (live) checkPlacement(catalog.shard, placements, log);
  return log.report();
}

/** citus-primary-key and citus-unique: Citus enforces uniqueness shard by shard, so every key needs the distribution column. */
function checkKeys(catalog: CitusCatalog, placements: Map<string, Placement>, log: CitusRuleLog): void {
  for (const placement of placements.values()) {
    if (placement.kind !== 'distributed') continue;
    const table = displayName(placement.table);
    const keys = catalog.keys.filter((key) => key.tableOid === placement.table.oid);

    log.checked('citus-primary-key');
    const primaryKey = keys.find((key) => key.kind === 'primary key');
    if (!primaryKey) {
      log.fail('citus-primary-key', table, `no primary key; it must exist and include ${placement.column} (shard moves replicate rows by it)`);
    } else if (!primaryKey.columns.includes(placement.column)) {
      log.fail('citus-primary-key', table, `primary key ${primaryKey.name} ${columnList(primaryKey.columns)} does not include ${placement.column}`);
    }

    for (const key of keys.filter((k) => k.kind !== 'primary key')) {
      log.checked('citus-unique');
      if (!key.columns.includes(placement.column)) {
        log.fail(
          'citus-unique',
          table,
          `${key.kind} ${key.name} ${columnList(key.columns)} does not include ${placement.column}; Citus can only enforce it within one shard`,
        );
      }
    }
  }
}

/**
 * citus-foreign-key: between distributed tables a key must pair the two distribution columns at
 * the same position (so both rows are on one node); a reference table may reference only reference
 * tables. citus-foreign-key-action: Citus refuses SET NULL / SET DEFAULT on delete, and SET NULL /
 * SET DEFAULT / CASCADE on update, whenever the referencing columns include the distribution
 * column — even when PostgreSQL 15's `SET NULL (col)` leaves that column alone (citusdata/citus#7132).
 */
function checkForeignKey(fk: CitusForeignKey, placements: Map<string, Placement>, log: CitusRuleLog): void {
  const child = placements.get(fk.childOid);
  if (!child) return;
  const parent = placements.get(fk.parentOid);
  const table = displayName(child.table);
  const described = `foreign key ${fk.name} ${columnList(fk.columns.map((c) => c.child))} → ${displayName(fk.parent)}`;

  log.checked('citus-foreign-key');
  if (!parent) {
    log.fail('citus-foreign-key', table, `${described}: the referenced table is outside the application's schemas, so it would stay a local table`);
  } else if (child.kind === 'local' || parent.kind === 'local') {
    if (child.kind !== parent.kind) {
      log.fail('citus-foreign-key', table, `${described}: Citus cannot enforce a foreign key between a local table and a Citus table`);
    }
  } else if (child.kind === 'reference' && parent.kind === 'distributed') {
    log.fail('citus-foreign-key', table, `${described}: a reference table may reference only reference tables, and ${displayName(fk.parent)} is distributed`);
  } else if (child.kind === 'distributed' && parent.kind === 'distributed') {
    const childAt = fk.columns.findIndex((c) => c.child === child.column);
    const parentAt = fk.columns.findIndex((c) => c.parent === parent.column);
    if (childAt === -1 || childAt !== parentAt) {
      log.fail(
        'citus-foreign-key',
        table,
        `${described} ${columnList(fk.columns.map((c) => c.parent))} does not pair ${child.column} with ${displayName(fk.parent)}.${parent.column} at the same position`,
      );
    }
  }

  if (child.kind === 'distributed' && fk.columns.some((c) => c.child === child.column)) {
    log.checked('citus-foreign-key-action');
    if (fk.onDelete === 'n' || fk.onDelete === 'd') {
      const setColumns = fk.deleteSetColumns.length > 0 ? ` ${columnList(fk.deleteSetColumns)}` : '';
      log.fail(
        'citus-foreign-key-action',
        table,
        `${described} is ON DELETE ${ACTION_NAMES[fk.onDelete]}${setColumns}; Citus rejects that on a key that includes ${child.column} (citusdata/citus#7132)`,
      );
    }
    if (fk.onUpdate === 'n' || fk.onUpdate === 'd' || fk.onUpdate === 'c') {
      log.fail(
        'citus-foreign-key-action',
        table,
        `${described} is ON UPDATE ${ACTION_NAMES[fk.onUpdate]}; Citus rejects that on a key that includes ${child.column}`,
      );
    }
  }
}

/**
 * citus-reference-size: every node keeps a full copy of a reference table and every write to it
 * commits on all of them. citus-shared-table: a table with organization_id is never a reference table.
 */
function checkReferenceTables(placements: Map<string, Placement>, limits: ReferenceLimits, log: CitusRuleLog): void {
  for (const placement of placements.values()) {
    if (placement.kind !== 'reference') continue;
    const { table } = placement;
    const name = displayName(table);

    log.checked('citus-reference-size');
    if (table.estimatedRows > limits.maxRows || table.totalBytes > limits.maxBytes) {
      log.fail(
        'citus-reference-size',
        name,
        `about ${Math.round(table.estimatedRows)} rows and ${megabytes(table.totalBytes)}, over the reference-table limit of ` +
          `${limits.maxRows} rows or ${megabytes(limits.maxBytes)}: every node would keep a copy and every write would commit on all of them`,
      );
    }

    if (table.organizationId === 'nullable') {
      log.checked('citus-shared-table');
      log.fail(
        'citus-shared-table',
        name,
        'organization_id is nullable (NULL rows are shared by every tenant), so it would become a reference table holding ' +
          "every tenant's rows on every node; split the public rows into a platform table (as 0015 did for templates)",
      );
    } else if (isTenantRoot(table)) {
      log.note('citus-foreign-key', name, placement.reason);
    }
  }
}

function columnList(columns: (string | null)[]): string {
  return `(${columns.map((c) => c ?? '(expression)').join(', ')})`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
