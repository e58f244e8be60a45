import type { SqlSession } from '../db/connection.js';
import type { TableChecksum } from './manifest.js';

/**
 * A row's text depends on session settings (a timestamptz prints in the session's time zone,
 * a float with its extra digits), so checksums are always taken under these, whoever connects.
 */
const FIXED_OUTPUT_SETTINGS: ReadonlyArray<[string, string]> = [
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
  ['lc_monetary', 'C'],
];

/**
 * Runs `work` in one repeatable-read, read-only transaction with the fixed output settings:
 * every table is read as of the same instant, and a backup exports this snapshot to pg_dump
 * so the dump and the manifest describe exactly the same rows.
 */
export async function inReadOnlySnapshot<T>(session: SqlSession, work: () => Promise<T>): Promise<T> {
  await session.query('begin isolation level repeatable read, read only');
  try {
    for (const [name, value] of FIXED_OUTPUT_SETTINGS) {
      await session.query('select set_config($1, $2, true)', [name, value]);
    }
    const result = await work();
    await session.query('commit');
    return result;
  } catch (error) {
    await session.query('rollback').catch(() => undefined);
    throw error;
  }
}

type TableRef = { table: string; ident: string };

/**
 * Every table whose rows a dump carries: plain tables and partitions in every non-system
 * schema, leaving out temporary tables and tables that belong to an extension.
 */
export async function listTables(session: SqlSession): Promise<TableRef[]> {
  return session.query<TableRef>(
    `select n.nspname || '.' || c.relname as "table", format('%I.%I', n.nspname, c.relname) as ident
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and c.relpersistence <> 't'
        and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
        and not exists (select 1 from pg_depend d
                         where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by n.nspname collate "C", c.relname collate "C"`,
  );
}

/**
 * Row count and checksum of every table. The checksum is the md5 of the count and of two
 * 64-bit sums of the rows' md5s: it ignores row order, so it needs no primary key, no sort and
 * no memory beyond one row, where `string_agg(… order by pk)` would build the whole table as
 * one string (and hit PostgreSQL's 1 GB limit on a big one). Run it inside inReadOnlySnapshot.
 *
 * @example
 * const tables = await inReadOnlySnapshot(session, () => readTableChecksums(session));
 */
export async function readTableChecksums(
  session: SqlSession,
  onTable: (done: number, total: number) => void = () => undefined,
): Promise<TableChecksum[]> {
  const tables = await listTables(session);
  const checksums: TableChecksum[] = [];
  for (const { table, ident } of tables) {
    // `ident` comes from the catalog through format('%I'), so it is already a quoted identifier.
    const [row] = await session.query<{ rows: string; checksum: string }>(
      `select count(*)::text as rows,
              md5(count(*)::text
                  || ':' || coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text
                  || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text) as checksum
         from (select md5(t::text) as h from only ${ident} t) as hashed`,
    );
    checksums.push({ table, rows: Number(row?.rows ?? 0), checksum: row?.checksum ?? '' });
    onTable(checksums.length, tables.length);
  }
  return checksums;
}

/** What differs between the backup's tables and the restored ones, one line per table at fault. */
export function checksumMismatches(expected: TableChecksum[], actual: TableChecksum[]): string[] {
  const restored = new Map(actual.map((entry) => [entry.table, entry]));
  const problems: string[] = [];
  for (const want of expected) {
    const got = restored.get(want.table);
    if (!got) problems.push(`${want.table} is missing`);
    else if (got.rows !== want.rows) problems.push(`${want.table} has ${got.rows} rows where the backup has ${want.rows}`);
    else if (got.checksum !== want.checksum) problems.push(`${want.table} has ${got.rows} rows as it should, but their contents differ`);
    restored.delete(want.table);
  }
  for (const extra of restored.keys()) problems.push(`${extra} is not in the backup`);
  return problems;
}

/** The newest applied migration, recorded in the manifest so a restore can say what it brings back. */
export async function readSchemaVersion(session: SqlSession): Promise<string | null> {
  const [history] = await session.query<{ present: boolean }>(
    `select to_regclass('public.tenantry_migrations') is not null as present`,
  );
  if (!history?.present) return null;
  const [latest] = await session.query<{ version: string | null }>('select max(version) as version from public.tenantry_migrations');
  return latest?.version ?? null;
}
