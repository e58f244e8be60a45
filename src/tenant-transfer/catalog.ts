import { z } from 'zod';
import type { SqlSession } from '../db/connection.js';
import { quoteIdent } from '../db/roles.js';
import { TenantryError } from '../errors.js';

/**
 * What a tenant transfer moves, read from the catalog so a table added tomorrow travels without
 * editing this file:
 *
 * - tenant tables: every table in `public` with an `organization_id` column, and `organizations`
 *   (keyed by its own `id`); only the organization's rows, so a shared table's public rows
 *   (templates with a NULL organization) stay behind;
 * - platform rows the tenant rows point at: any non-tenant table a foreign key of a transferred
 *   table references (users, subscription_plans), restricted to the referenced rows, and
 *   repeated until nothing new is referenced;
 * - companions: platform tables that extend such a row one-to-one and are safe to carry
 *   (PLATFORM_COMPANIONS).
 *
 * The order is the foreign-key dependency order (parents first), ties broken by kind and name.
 */

/** One-to-one extensions of exported platform rows that travel with them: a profile, never a credential. */
export const PLATFORM_COMPANIONS: readonly string[] = ['user_profiles'];

/**
 * Credentials and sign-in state never leave the database they were issued by: people sign in
 * again, or reset their password, after a move. A tenant table that references one of these is
 * a design error the export refuses to paper over.
 */
export const NEVER_TRANSFERRED: readonly string[] = ['accounts', 'sessions', 'verifications'];

export type Column = {
  name: string;
  notNull: boolean;
  /** json or jsonb: a JSON `null` is indistinguishable from SQL NULL once rendered. */
  json: boolean;
  /** Text-like: ordered with `collate "C"` so row order does not depend on the database's collation. */
  collatable: boolean;
  identityAlways: boolean;
};

export type ForeignKey = {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  matchFull: boolean;
};

export type TableShape = {
  name: string;
  /** Columns a row is made of, generated ones excluded, in table order. */
  columns: Column[];
  primaryKey: string[];
  /** Unique keys other than the primary key (constraints and plain unique indexes). */
  uniqueKeys: string[][];
  foreignKeys: ForeignKey[];
  hasOrganizationId: boolean;
};

export type PlannedTable = TableShape & {
  kind: 'tenant' | 'platform';
  /** For tenant tables: the column that holds the tenant (`organization_id`, or `id` for organizations). */
  tenantColumn: string | null;
  /** A predicate selecting the organization's rows of this table under `alias`; `$1` is the organization id. */
  where(alias: string): string;
};

export type TransferPlan = { tables: PlannedTable[] };

const ColumnSchema = z.object({
  name: z.string(),
  notNull: z.boolean(),
  json: z.boolean(),
  collatable: z.boolean(),
  identityAlways: z.boolean(),
});
const ShapeSchema = z.object({
  name: z.string(),
  columns: z.array(ColumnSchema),
  primaryKey: z.array(z.string()).nullable(),
  uniqueKeys: z.array(z.array(z.string())).nullable(),
  hasOrganizationId: z.boolean(),
});
const ForeignKeySchema = z.object({
  name: z.string(),
  table: z.string(),
  columns: z.array(z.string()),
  refTable: z.string(),
  refColumns: z.array(z.string()),
  matchFull: z.boolean(),
});

/** The tables of `public` as the transfer sees them. */
export async function readTableShapes(session: SqlSession): Promise<TableShape[]> {
  const tables = await session.query<{ shape: unknown }>(`
    select json_build_object(
      'name', c.relname,
      'columns', coalesce((
        select json_agg(json_build_object(
                 'name', a.attname,
                 'notNull', a.attnotnull,
                 'json', a.atttypid in ('json'::regtype, 'jsonb'::regtype),
                 'collatable', a.attcollation <> 0,
                 'identityAlways', a.attidentity = 'a') order by a.attnum)
          from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''), '[]'::json),
      'primaryKey', (
        select json_agg(a.attname order by k.i)
          from pg_index i
          cross join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, i)
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where i.indrelid = c.oid and i.indisprimary),
      'uniqueKeys', (
        select json_agg(keys.columns order by keys.columns::text)
          from (select (select json_agg(a.attname order by k.i)
                          from unnest(i.indkey::int2[]) with ordinality k(attnum, i)
                          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                         where k.i <= i.indnkeyatts) as columns
                  from pg_index i
                 where i.indrelid = c.oid and i.indisunique and not i.indisprimary
                   and i.indpred is null and i.indexprs is null) keys),
      'hasOrganizationId', exists (
        select from pg_attribute a
         where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped)
    ) as shape
      from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`);
  const foreignKeys = await session.query<{ fk: unknown }>(`
    select json_build_object(
      'name', c.conname,
      'table', (select relname from pg_class where oid = c.conrelid),
      'columns', (select json_agg(a.attname order by k.i)
                    from unnest(c.conkey) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum),
      'refTable', (select relname from pg_class where oid = c.confrelid),
      'refColumns', (select json_agg(a.attname order by k.i)
                       from unnest(c.confkey) with ordinality k(attnum, i)
                       join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum),
      'matchFull', c.confmatchtype = 'f'
    ) as fk
      from pg_constraint c
     where c.contype = 'f' and c.connamespace = 'public'::regnamespace
       and (select relnamespace from pg_class where oid = c.confrelid) = 'public'::regnamespace
     order by c.conname`);
  const keys = foreignKeys.map((row) => ForeignKeySchema.parse(row.fk));
  return tables.map((row) => {
    const shape = ShapeSchema.parse(row.shape);
    return {
      ...shape,
      primaryKey: shape.primaryKey ?? [],
      uniqueKeys: shape.uniqueKeys ?? [],
      foreignKeys: keys.filter((fk) => fk.table === shape.name),
    };
  });
}

/** Reads the catalog and plans the transfer. */
export async function readTransferPlan(session: SqlSession): Promise<TransferPlan> {
  return planTransfer(await readTableShapes(session));
}

/** Which tables move, how their rows are selected, and in which order. Pure, so it is tested without a database. */
export function planTransfer(shapes: TableShape[]): TransferPlan {
  const byName = new Map(shapes.map((shape) => [shape.name, shape]));
  const tenant = shapes.filter((shape) => shape.hasOrganizationId || shape.name === 'organizations');
  if (!byName.has('organizations')) throw new TenantryError('internal', 'the database has no organizations table (run: tenantry db migrate)');

  const kinds = new Map<string, 'tenant' | 'referenced' | 'companion'>(tenant.map((shape) => [shape.name, 'tenant']));
  /** For a companion: the foreign key (its whole primary key) that ties it to its parent row. */
  const companionLinks = new Map<string, ForeignKey>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of [...kinds.keys()]) {
      for (const fk of byName.get(name)?.foreignKeys ?? []) {
        if (kinds.has(fk.refTable)) continue;
        if (NEVER_TRANSFERRED.includes(fk.refTable)) {
          throw new TenantryError(
            'internal',
            `${name}.${fk.columns.join(', ')} references ${fk.refTable}, which holds credentials that a tenant transfer never carries`,
          );
        }
        kinds.set(fk.refTable, 'referenced');
        grew = true;
      }
    }
    for (const name of PLATFORM_COMPANIONS) {
      const shape = byName.get(name);
      if (!shape || kinds.has(name)) continue;
      const link = shape.foreignKeys.find((fk) => kinds.has(fk.refTable) && sameColumns(fk.columns, shape.primaryKey));
      if (!link) continue;
      kinds.set(name, 'companion');
      companionLinks.set(name, link);
      grew = true;
    }
  }

  const included = [...kinds.keys()];
  const where = predicates(byName, kinds, companionLinks, included);
  const tables = dependencyOrder(included.map((name) => byName.get(name)).filter((shape) => shape !== undefined), (name) =>
    kinds.get(name) === 'tenant' ? (name === 'organizations' ? 1 : 2) : 0,
  ).map(
    (shape): PlannedTable => ({
      ...shape,
      kind: kinds.get(shape.name) === 'tenant' ? 'tenant' : 'platform',
      tenantColumn: kinds.get(shape.name) !== 'tenant' ? null : shape.name === 'organizations' ? 'id' : 'organization_id',
      where: (alias) => where(shape.name, alias, []),
    }),
  );
  return { tables };
}

type Predicate = (table: string, alias: string, stack: string[]) => string;

/**
 * Row predicates as SQL. Tenant rows are the organization's; a referenced platform row is one a
 * selected row of another table points at (`(cols) in (select … union select …)`, which lets
 * PostgreSQL plan a semi-join instead of testing every platform row); a companion row is one
 * whose parent row is selected. `stack` stops a cycle of references from recursing for ever.
 */
function predicates(
  byName: Map<string, TableShape>,
  kinds: Map<string, 'tenant' | 'referenced' | 'companion'>,
  companionLinks: Map<string, ForeignKey>,
  included: string[],
): Predicate {
  const where: Predicate = (table, alias, stack) => {
    const kind = kinds.get(table);
    const column = (name: string) => `${alias}.${quoteIdent(name)}`;
    if (kind === 'tenant') return `${column(table === 'organizations' ? 'id' : 'organization_id')} = $1`;
    if (stack.includes(table)) return 'false';
    const inner = [...stack, table];
    const sub = `s${inner.length}`;
    const list = (names: string[], of: (name: string) => string) => {
      const items = names.map(of);
      return items.length === 1 ? (items[0] ?? '') : `(${items.join(', ')})`;
    };

    if (kind === 'companion') {
      const link = companionLinks.get(table);
      if (!link) throw new TenantryError('internal', `companion table ${table} has no link`);
      return `${list(link.columns, column)} in (select ${link.refColumns.map((c) => `${sub}.${quoteIdent(c)}`).join(', ')} from ${qualified(link.refTable)} ${sub} where ${where(link.refTable, sub, inner)})`;
    }

    // Referenced: group the references by the columns they point at (a primary key, a unique key).
    const groups = new Map<string, { refColumns: string[]; selects: string[] }>();
    for (const referrer of included) {
      for (const fk of byName.get(referrer)?.foreignKeys ?? []) {
        if (fk.refTable !== table || referrer === table || companionLinks.get(referrer) === fk) continue;
        const key = fk.refColumns.join(',');
        const group = groups.get(key) ?? { refColumns: fk.refColumns, selects: [] };
        group.selects.push(
          `select ${fk.columns.map((c) => `${sub}.${quoteIdent(c)}`).join(', ')} from ${qualified(referrer)} ${sub} where ${where(referrer, sub, inner)}`,
        );
        groups.set(key, group);
      }
    }
    const clauses = [...groups.values()].map((group) => `${list(group.refColumns, column)} in (${group.selects.join(' union ')})`);
    return clauses.length === 0 ? 'false' : clauses.map((clause) => `(${clause})`).join(' or ');
  };
  return where;
}

/**
 * Kahn's algorithm over the foreign keys between the given tables, parents first; among tables
 * that are ready at the same time, the lower rank and then the name go first, so the order is
 * stable. Self-references are ignored (rows load with triggers off and foreign keys are checked
 * afterwards), and so is a cycle: its tables follow in rank and name order.
 */
export function dependencyOrder<T extends Pick<TableShape, 'name' | 'foreignKeys'>>(tables: T[], rank: (name: string) => number): T[] {
  const names = new Set(tables.map((t) => t.name));
  const parents = new Map(
    tables.map((t) => [t.name, new Set(t.foreignKeys.map((fk) => fk.refTable).filter((p) => p !== t.name && names.has(p)))]),
  );
  const compare = (a: T, b: T) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const ordered: T[] = [];
  const placed = new Set<string>();
  let remaining = [...tables].sort(compare);
  while (remaining.length > 0) {
    const ready = remaining.find((t) => [...(parents.get(t.name) ?? [])].every((p) => placed.has(p))) ?? remaining[0];
    if (!ready) break;
    ordered.push(ready);
    placed.add(ready.name);
    remaining = remaining.filter((t) => t !== ready);
  }
  return ordered;
}

export function qualified(table: string): string {
  return `public.${quoteIdent(table)}`;
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}
