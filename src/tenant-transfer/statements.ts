import type { SqlSession } from '../db/connection.js';
import { quoteIdent } from '../db/roles.js';
import { TenantryError } from '../errors.js';
import { type ForeignKey, type PlannedTable, qualified } from './catalog.js';

/**
 * The SQL of a transfer, built from the plan. Identifiers are quoted with quoteIdent; values
 * are always parameters. In every statement that selects the organization's rows, `$1` is the
 * organization id (PlannedTable.where relies on it).
 */

/** Columns holding a data key wrapped by this database's master key: meaningless elsewhere, so never exported. */
export const WRAPPED_KEY_COLUMN = 'wrapped_data_key';

/**
 * Session settings that make PostgreSQL render a row the same way on every database and engine:
 * timestamps in UTC, bytea as hex, floats with the shortest exact digits.
 */
export async function useStableRendering(session: SqlSession): Promise<void> {
  await session.query(`select set_config('timezone', 'UTC', true), set_config('bytea_output', 'hex', true),
                              set_config('extra_float_digits', '1', true), set_config('intervalstyle', 'postgres', true)`);
}

/** The latest applied migration, which is what "same schema version" compares; null when none is applied. */
export async function readSchemaVersion(session: SqlSession): Promise<string | null> {
  const [history] = await session.query<{ present: boolean }>(
    `select to_regclass('public.tenantry_migrations') is not null as present`,
  );
  if (!history?.present) return null;
  const [row] = await session.query<{ version: string | null }>('select max(version) as version from public.tenantry_migrations');
  return row?.version ?? null;
}

/**
 * Every selected row as one JSON text rendered by PostgreSQL (`row_to_json`: keys in column
 * order, values as their types print them), ordered by primary key so two exports of the same
 * rows agree byte for byte.
 */
export function selectRowsSql(table: PlannedTable): string {
  const columns = table.columns
    .map((c) => (c.name === WRAPPED_KEY_COLUMN ? `null as ${quoteIdent(c.name)}` : `t.${quoteIdent(c.name)}`))
    .join(', ');
  const collatable = new Set(table.columns.filter((c) => c.collatable).map((c) => c.name));
  const order =
    table.primaryKey.length > 0
      ? table.primaryKey.map((c) => `r.${quoteIdent(c)}${collatable.has(c) ? ' collate "C"' : ''}`).join(', ')
      : 'row_to_json(r)::text collate "C"';
  return `select row_to_json(r)::text as line
            from (select ${columns} from ${qualified(table.name)} t where ${table.where('t')}) r
           order by ${order}`;
}

export function countSql(table: PlannedTable): string {
  return `select count(*)::int as n from ${qualified(table.name)} t where ${table.where('t')}`;
}

/** The rows of a batch: `$batch` is a JSON array of body lines; `r` is each row as a record of the table. */
function batchRows(table: PlannedTable, batch: string): string {
  return `json_array_elements(${batch}::json) with ordinality e(v, ord)
          cross join lateral json_populate_record(null::${qualified(table.name)}, e.v -> 'row') r`;
}

/**
 * Inserts a batch of rows and returns how many went in. Tenant tables: `$1` organization, `$2`
 * batch, and rows of any other organization are left out (the caller compares the count).
 * Platform tables: `$1` batch, `$2` JSON array of positions (1-based) to leave out.
 * `overrides` replaces a column's value by an SQL expression.
 */
export function insertSql(table: PlannedTable, overrides: ReadonlyMap<string, string> = new Map()): string {
  const names = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const values = table.columns
    .map((c) => {
      const override = overrides.get(c.name);
      if (override !== undefined) return override;
      // A NOT NULL json column can only have held the JSON literal null where the row shows null.
      return c.json && c.notNull ? `coalesce(r.${quoteIdent(c.name)}, 'null')` : `r.${quoteIdent(c.name)}`;
    })
    .join(', ');
  const identity = table.columns.some((c) => c.identityAlways) ? ' overriding system value' : '';
  const filter =
    table.kind === 'tenant'
      ? `${table.where('r')}`
      : `e.ord not in (select value::int from json_array_elements_text($2::json))`;
  return `with inserted as (
            insert into ${qualified(table.name)} (${names})${identity}
            select ${values} from ${batchRows(table, table.kind === 'tenant' ? '$2' : '$1')}
             where ${filter}
            returning 1)
          select count(*)::int as n from inserted`;
}

/** How many rows of the batch, leaving out the positions in `$2`, have `column` different from `$3`. `$1` batch. */
export function differingSql(table: PlannedTable, column: string): string {
  return `select count(*)::int as n from ${batchRows(table, '$1')}
           where e.ord not in (select value::int from json_array_elements_text($2::json))
             and r.${quoteIdent(column)}::text is distinct from $3::text`;
}

/** A constant of this code base as an SQL literal (standard_conforming_strings is on since PostgreSQL 9.1). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Positions (1-based) of the batch's rows whose primary key already exists in the target. `$1` batch. */
export function existingRowsSql(table: PlannedTable): string {
  const match = table.primaryKey.map((c) => `x.${quoteIdent(c)} = r.${quoteIdent(c)}`).join(' and ');
  return `select e.ord::int as ord from ${batchRows(table, '$1')}
           where exists (select 1 from ${qualified(table.name)} x where ${match})`;
}

/**
 * Rows of the batch that are new by primary key but whose `key` values already belong to another
 * row of the target: the position, the clashing values, and both primary keys as text. `$1` batch.
 */
export function uniqueClashSql(table: PlannedTable, key: string[]): string {
  const text = (alias: string, columns: string[]) =>
    `concat_ws(', ', ${columns.map((c) => `${alias}.${quoteIdent(c)}::text`).join(', ')})`;
  const pkMatch = (alias: string) => table.primaryKey.map((c) => `${alias}.${quoteIdent(c)} = r.${quoteIdent(c)}`).join(' and ');
  return `select e.ord::int as ord, ${text('r', key)} as value,
                 ${text('r', table.primaryKey)} as file_id, ${text('x', table.primaryKey)} as target_id
            from ${batchRows(table, '$1')}
            join ${qualified(table.name)} x on ${key.map((c) => `x.${quoteIdent(c)} = r.${quoteIdent(c)}`).join(' and ')}
           where not exists (select 1 from ${qualified(table.name)} y where ${pkMatch('y')})`;
}

/** How many of the organization's rows of `table` break `fk` (MATCH SIMPLE or FULL, as declared). `$1` organization. */
export function orphansSql(table: PlannedTable, fk: ForeignKey): string {
  const columns = fk.columns.map((c) => `t.${quoteIdent(c)}`);
  const parentMissing = `not exists (select 1 from ${qualified(fk.refTable)} p where ${fk.columns
    .map((c, i) => `p.${quoteIdent(fk.refColumns[i] ?? c)} = t.${quoteIdent(c)}`)
    .join(' and ')})`;
  const checked = fk.matchFull
    ? `not (${columns.map((c) => `${c} is null`).join(' and ')})
       and (${columns.map((c) => `${c} is null`).join(' or ')} or ${parentMissing})`
    : `${columns.map((c) => `${c} is not null`).join(' and ')} and ${parentMissing}`;
  return `select count(*)::int as n from ${qualified(table.name)} t where (${table.where('t')}) and ${checked}`;
}

/**
 * Points the organization's references at the target's own rows where a platform row was matched
 * by a unique key instead of imported: `$1` organization, `$2` JSON object {exported id: target id}.
 */
export function remapSql(child: PlannedTable, fk: ForeignKey): string {
  const [column] = fk.columns;
  const [target] = fk.refColumns;
  if (!column || !target || fk.columns.length !== 1) {
    throw new TenantryError('internal', `cannot remap ${child.name}.${fk.name}: only single-column references are remapped`);
  }
  return `update ${qualified(child.name)} t set ${quoteIdent(column)} = p.${quoteIdent(target)}
            from json_each_text($2::json) m
            join ${qualified(fk.refTable)} p on p.${quoteIdent(target)}::text = m.value
           where (${child.where('t')}) and t.${quoteIdent(column)}::text = m.key`;
}
