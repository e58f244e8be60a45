import { TenantryError } from '../errors.js';
import { displayName } from '../validate/catalog.js';
import type { CitusCatalog, CitusForeignKey } from './catalog.js';
import { type Placement, isTenantRoot } from './placement.js';

type DistributedPlacement = Extract<Placement, { kind: 'distributed' }>;

export type DistributionStep = {
  /** What findings call the table: `projects`, or `app.thing` outside public. */
  table: string;
  kind: 'reference' | 'distributed';
  /** The table as SQL names it (format('%I.%I')). */
  sqlName: string;
  /** One `select create_…_table(…)` call, without a trailing semicolon. */
  statement: string;
  reason: string;
};

/**
 * The Citus calls that turn the schema into a cluster, in an order Citus accepts: every
 * reference table first, each after the tables it references; then the distributed tables, the
 * first of them (the tenant root when it is distributed) anchoring the co-location group and
 * every other one after the tables it references. Tables already in `alreadyCitus` (oids) are
 * left out, so a second run picks up where a first one stopped.
 *
 * @example
 * planDistribution(catalog, placeTables(catalog)).map((s) => s.statement);
 * // ["select create_reference_table('users')", …,
 * //  "select create_distributed_table('members', 'organization_id')", …]
 */
export function planDistribution(
  catalog: CitusCatalog,
  placements: Map<string, Placement>,
  alreadyCitus: ReadonlySet<string> = new Set(),
): DistributionStep[] {
  const placed = [...placements.values()];
  const references = dependencyOrder(placed.filter((p) => p.kind === 'reference'), catalog);
  const distributed = dependencyOrder(
    placed.filter((p): p is DistributedPlacement => p.kind === 'distributed'),
    catalog,
  );
  const anchor = distributed[0];

  const steps: (DistributionStep & { oid: string })[] = [
    ...references.map((p) => ({
      oid: p.table.oid,
      table: displayName(p.table),
      sqlName: p.table.sqlName,
      kind: 'reference' as const,
      statement: `select create_reference_table(${literal(p.table.sqlName)})`,
      reason: p.reason,
    })),
    ...distributed.map((p) => ({
      oid: p.table.oid,
      table: displayName(p.table),
      sqlName: p.table.sqlName,
      kind: 'distributed' as const,
      statement:
        !anchor || p === anchor
          ? `select create_distributed_table(${literal(p.table.sqlName)}, ${literal(p.column)})`
          : `select create_distributed_table(${literal(p.table.sqlName)}, ${literal(p.column)}, ` +
            `colocate_with => ${literal(anchor.table.sqlName)})`,
      reason: p.reason,
    })),
  ];
  return steps.filter((step) => !alreadyCitus.has(step.oid)).map(({ oid: _oid, ...step }) => step);
}

/**
 * Parents before children along the foreign keys inside the group (Citus must know a referenced
 * table before it accepts a key to it). Ties go to the tenant root, then to the table most often
 * referenced (so the hub of the schema anchors co-location), then by name: the same plan every run.
 */
function dependencyOrder<P extends Placement>(group: P[], catalog: CitusCatalog): P[] {
  const members = new Map(group.map((p) => [p.table.oid, p]));
  const parents = new Map<string, Set<string>>();
  const referencedBy = new Map<string, number>();
  for (const fk of catalog.foreignKeys) {
    if (fk.childOid === fk.parentOid || !members.has(fk.childOid) || !members.has(fk.parentOid)) continue;
    parents.set(fk.childOid, (parents.get(fk.childOid) ?? new Set<string>()).add(fk.parentOid));
    referencedBy.set(fk.parentOid, (referencedBy.get(fk.parentOid) ?? 0) + 1);
  }
  const tieBreak = (a: P, b: P) =>
    Number(isTenantRoot(b.table)) - Number(isTenantRoot(a.table)) ||
    (referencedBy.get(b.table.oid) ?? 0) - (referencedBy.get(a.table.oid) ?? 0) ||
    displayName(a.table).localeCompare(displayName(b.table));

  const ordered: P[] = [];
  const remaining = new Map(members);
  while (remaining.size > 0) {
    const ready = [...remaining.values()].filter(
      (p) => ![...(parents.get(p.table.oid) ?? [])].some((parent) => remaining.has(parent)),
    );
    const next = ready.sort(tieBreak)[0];
    if (!next) {
      const names = [...remaining.values()].map((p) => displayName(p.table)).sort();
      throw new TenantryError(
        'refused',
        `foreign keys form a cycle among ${names.join(', ')}; Citus needs each referenced table converted before the tables that reference it`,
      );
    }
    ordered.push(next);
    remaining.delete(next.table.oid);
  }
  return ordered;
}

/** A SQL string literal: the only quoting the plan needs, since table names arrive already quoted by format('%I.%I'). */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Foreign keys between tables this plan distributes: Citus refuses to distribute a table that a
 * table not yet distributed references, so these are dropped before the first conversion and
 * added back (and validated, shard by shard) after the last. Keys to reference tables stay:
 * those are converted first.
 */
export function keysToRebuild(catalog: CitusCatalog, steps: DistributionStep[]): CitusForeignKey[] {
  const distributed = new Set(steps.filter((step) => step.kind === 'distributed').map((step) => step.table));
  return catalog.foreignKeys.filter((fk) => distributed.has(displayName(fk.child)) && distributed.has(displayName(fk.parent)));
}
