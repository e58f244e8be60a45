import type { SqlSession } from '../../db/connection.js';

/** A load at least this many times what a table already holds is better served by a fresh build. */
const REBUILD_RATIO = 1;

export type DeferredIndexes = {
  /** The dropped indexes, by name. */
  names: string[];
  /** Creates them again, exactly as they were (pg_get_indexdef), sorting in memory where it can. */
  rebuild(): Promise<void>;
};

/**
 * Drops the plain secondary indexes of the tables a load is about to (at least) double, so
 * COPY maintains only the primary keys and unique constraints, and rebuilds them afterwards
 * in the same transaction. Building a btree or GIN index from sorted input is several times
 * cheaper than millions of random inserts into it, each writing a full-page image to WAL
 * after every checkpoint (PostgreSQL's "Populating a Database" advice). Constraint indexes
 * stay: they are what makes a duplicate fail during the load. The cost: DROP INDEX holds an
 * ACCESS EXCLUSIVE lock on those tables until commit, which is fine for building a benchmark
 * database, and rebuilt indexes are more compact than ones grown row by row.
 */
export async function deferIndexes(session: SqlSession, planned: Map<string, number>): Promise<DeferredIndexes> {
  const tables = await session.query<{ table: string; rows: number }>(
    `select c.relname::text as table, greatest(c.reltuples, 0)::float8 as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any($1::text[])`,
    [[...planned.keys()]],
  );
  const chosen = tables
    .filter(({ table, rows }) => {
      const load = planned.get(table) ?? 0;
      return load > 0 && load >= REBUILD_RATIO * rows;
    })
    .map(({ table }) => table);
  if (chosen.length === 0) return { names: [], rebuild: () => Promise.resolve() };

  const indexes = await session.query<{ name: string; definition: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(ic.relname) as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_class tc on tc.oid = i.indrelid
       join pg_namespace n on n.oid = ic.relnamespace
      where n.nspname = 'public' and tc.relname = any($1::text[])
        and not exists (select from pg_constraint con where con.conindid = i.indexrelid)
      order by ic.relname`,
    [chosen],
  );
  for (const index of indexes) await session.query(`drop index ${index.name}`);
  return {
    names: indexes.map((index) => index.name),
    rebuild: async () => {
      // Session-settable; enough to sort each index of a ten-million-row load mostly in memory.
      await session.query(`set local maintenance_work_mem = '512MB'`);
      for (const index of indexes) await session.query(index.definition);
    },
  };
}
