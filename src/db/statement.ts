import { Column, SQL, fillPlaceholders, is, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Serialized } from '../http/router.js';
import type { PipelineResult, PipelineStatement } from './pipeline.js';
import { sentValue, timestamptzToIso } from './timestamp-text.js';

/**
 * The query builder without a database, for statements built once when a module loads (with
 * `sql.placeholder` where values go) and sent later by `withTenantPipeline`.
 */
export const build = new QueryBuilder();

type Decoder = { mapFromDriverValue(value: unknown): unknown };
/** A selected value: where it goes in the row object, and how its text becomes a value. */
type Leaf = { path: [string] | [string, string]; decode: Decoder };
/** A leaf and the row's column it reads. */
type PlacedLeaf = Leaf & { at: number };

const asIs: Decoder = { mapFromDriverValue: (value) => value };

type Buildable<TRow> = {
  toSQL(): { sql: string; params: unknown[] };
  readonly _: { readonly result: TRow[]; readonly selectedFields: object };
};

/** A SELECT built once: its text, its parameters from named values, and its rows as the builder would give them. */
export type SelectStatement<TValues extends Record<string, unknown>, TRow> = {
  readonly text: string;
  bind(values: TValues): PipelineStatement;
  readonly rows: (result: PipelineResult | undefined) => TRow[];
  /**
   * Rows as the API sends them, `serialize(row)` for each, built in the same one pass: a
   * timestamp goes from the database's text to ISO text with no Date in between. The key
   * `leaveOut` (a list's sort value, say) is not put in the objects; `valueAt` still reads it.
   */
  readonly sentRows: (result: PipelineResult | undefined, leaveOut?: keyof TRow & string) => Serialized<TRow>[];
  /** One selected value of one row, decoded as `rows` would. */
  readonly valueAt: (result: PipelineResult | undefined, row: number, key: keyof TRow & string) => unknown;
};

/**
 * Turns a select built with placeholders into a reusable statement. Rows arrive as arrays in
 * the select list's order, the order the builder lays out a selection (keys in order, one level
 * of nesting as in `{ assignee: { id, name } }`), and are decoded by the same columns the
 * builder would use, so they come out exactly as `await query` would give them. A nested object
 * whose values are all null (a left join that found nothing) becomes null, as the builder does.
 */
export function selectStatement<TValues extends Record<string, unknown>, TRow = unknown>(query: Buildable<TRow>): SelectStatement<TValues, TRow> {
  const { sql: text, params } = query.toSQL();
  const leaves: PlacedLeaf[] = leavesOf(query._.selectedFields as Record<string, unknown>).map((leaf, at) => ({ ...leaf, at }));
  const read = rowReader(leaves);
  const topLevel = new Map(leaves.flatMap((leaf) => (leaf.path.length === 1 ? [[leaf.path[0], leaf] as const] : [])));
  const sentReaders = new Map<string, (row: unknown[]) => Record<string, unknown>>();
  const sentReader = (leaveOut = '') => {
    let reader = sentReaders.get(leaveOut);
    if (!reader) {
      reader = rowReader(leaves.filter((leaf) => leaf.path.length > 1 || leaf.path[0] !== leaveOut).map(asSent));
      sentReaders.set(leaveOut, reader);
    }
    return reader;
  };
  return {
    text,
    bind: (values) => ({ text, values: fillPlaceholders(params, values) }),
    rows: (result) => (result?.rows ?? []).map((row) => read(row) as TRow),
    sentRows: (result, leaveOut) => {
      const reader = sentReader(leaveOut);
      return (result?.rows ?? []).map((row) => reader(row) as Serialized<TRow>);
    },
    valueAt: (result, row, key) => {
      const leaf = topLevel.get(key);
      const raw = leaf && result?.rows[row]?.[leaf.at];
      return raw === null || raw === undefined || !leaf ? null : leaf.decode.mapFromDriverValue(raw);
    },
  };
}

/** Inserts and updates built once like `build`'s selects: a builder with no connection, for `toSQL` only. */
export const buildWrite = drizzle.mock();

const dialect = new PgDialect();

/** A statement whose rows the caller does not read (a write, a check, a lock), built once. */
export function plainStatement<TValues extends Record<string, unknown>>(query: { toSQL(): { sql: string; params: unknown[] } } | SQL) {
  const { sql: text, params } = is(query, SQL) ? dialect.sqlToQuery(query) : query.toSQL();
  return { text, bind: (values: TValues): PipelineStatement => ({ text, values: fillPlaceholders(params, values) }) };
}

/**
 * A selection (the shape `selectStatement` reads) as one `json_build_object`, keys in the same
 * order, with the values `serialize` would give the row: timestamps as JavaScript's ISO text
 * (UTC, milliseconds), a nested group null when all its values are. For a body the database
 * writes itself, such as a webhook delivery queued in the same statement as the change.
 */
export function jsonObjectOf(fields: Record<string, unknown>): SQL {
  const entries = Object.entries(fields).map(([name, field]) => {
    if (decoderOf(field)) return sql`${name}::text, ${jsonValue(field)}`;
    const nested = Object.values(field as Record<string, unknown>);
    return sql`${name}::text, case when num_nonnulls(${sql.join(nested.map((value) => sql`${value}`), sql`, `)}) = 0 then null else ${jsonObjectOf(field as Record<string, unknown>)} end`;
  });
  return sql`json_build_object(${sql.join(entries, sql`, `)})`;
}

function jsonValue(field: unknown): SQL {
  if (is(field, Column) && field.getSQLType() === 'timestamp with time zone') {
    // The colons quoted as literal text: pgbench (bench/api-vs-db.ts replays the one-trip
    // writes' statements) reads ":MI" as one of its variables, even inside a string.
    return sql`to_char(${field} at time zone 'UTC', 'YYYY-MM-DD"T"HH24":"MI":"SS.MS"Z"')`;
  }
  return sql`${field}`;
}

/** A leaf decoded for the wire: timestamptz text straight to ISO text, any other Date as JSON.stringify writes it. */
function asSent(leaf: PlacedLeaf): PlacedLeaf {
  const { decode } = leaf;
  if (isIdentity(decode)) return leaf;
  if (is(decode, Column) && decode.getSQLType().endsWith('with time zone')) return { ...leaf, decode: { mapFromDriverValue: (value) => timestamptzToIso(value as string) } };
  return { ...leaf, decode: { mapFromDriverValue: (value) => sentValue(decode.mapFromDriverValue(value)) } };
}

function leavesOf(fields: Record<string, unknown>): Leaf[] {
  const leaves: Leaf[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const decode = decoderOf(field);
    if (decode) {
      leaves.push({ path: [name], decode });
      continue;
    }
    for (const [inner, nested] of Object.entries(field as Record<string, unknown>)) {
      const nestedDecoder = decoderOf(nested);
      if (!nestedDecoder) throw new Error(`selectStatement: ${name}.${inner} nests deeper than one level`);
      leaves.push({ path: [name, inner], decode: nestedDecoder });
    }
  }
  return leaves;
}

/** A decoder that hands the driver's value on unchanged, which the readers skip calling. */
function isIdentity(decode: Decoder): boolean {
  return decode.mapFromDriverValue === Column.prototype.mapFromDriverValue || decode === asIs;
}

function decoderOf(field: unknown): Decoder | undefined {
  if (is(field, Column)) return field;
  if (is(field, SQL)) return (Reflect.get(field, 'decoder') as Decoder | undefined) ?? asIs;
  if (is(field, SQL.Aliased)) return (Reflect.get(field.sql, 'decoder') as Decoder | undefined) ?? asIs;
  return undefined;
}

/**
 * Builds the row decoder once per statement: each value knows its key and, when nested, its
 * group's slot, so a row costs one pass with no lookups (a list of 50 tasks decodes 1,400
 * values per request).
 */
function rowReader(leaves: PlacedLeaf[]): (row: unknown[]) => Record<string, unknown> {
  const groupNames: string[] = [];
  const plan = leaves.map(({ path, decode, at }) => {
    const identity = isIdentity(decode);
    if (path.length === 1) return { key: path[0], group: -1, decode, identity, at };
    let group = groupNames.indexOf(path[0]);
    if (group < 0) group = groupNames.push(path[0]) - 1;
    return { key: path[1], group, decode, identity, at };
  });
  return (row) => {
    const object: Record<string, unknown> = {};
    const groups: (Record<string, unknown> | null)[] = [];
    const filled: boolean[] = [];
    for (let index = 0; index < plan.length; index++) {
      const leaf = plan[index] as (typeof plan)[number];
      const raw = row[leaf.at];
      const value = raw === null || raw === undefined ? null : leaf.identity ? raw : leaf.decode.mapFromDriverValue(raw);
      if (leaf.group < 0) {
        object[leaf.key] = value;
        continue;
      }
      let group = groups[leaf.group];
      if (!group) {
        group = {};
        groups[leaf.group] = group;
        object[groupNames[leaf.group] as string] = group;
      }
      group[leaf.key] = value;
      if (value !== null) filled[leaf.group] = true;
    }
    for (let group = 0; group < groupNames.length; group++) if (!filled[group]) object[groupNames[group] as string] = null;
    return object;
  };
}
