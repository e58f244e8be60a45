import type { SqlSession } from '../db/connection.js';
import { APP_SCHEMAS, type TableRef, notExtensionMember } from '../validate/catalog.js';
import { type ShardCatalog, loadShardCatalog } from './shard-catalog.js';

/** Whether a table has an `organization_id` column, and whether it may be NULL. */
export type OrganizationColumn = 'not null' | 'nullable' | 'absent';

export type CitusTable = TableRef & {
  oid: string;
  /** `schema.name` quoted only where PostgreSQL needs it (format('%I.%I')), for generated statements. */
  sqlName: string;
  organizationId: OrganizationColumn;
  /** pg_class.reltuples: the planner's estimate, 0 before the first ANALYZE. */
  estimatedRows: number;
  /** pg_total_relation_size: heap, indexes and TOAST. */
  totalBytes: number;
};

export type UniqueKeyKind = 'primary key' | 'unique constraint' | 'unique index' | 'exclusion constraint';

/** A primary key, unique constraint, unique index or exclusion constraint: whatever Citus must enforce per shard. */
export type UniqueKey = {
  tableOid: string;
  name: string;
  kind: UniqueKeyKind;
  /** Key columns in order; null for an expression. */
  columns: (string | null)[];
};

/** pg_constraint.confdeltype / confupdtype: no action, restrict, cascade, set null, set default. */
export type ForeignKeyAction = 'a' | 'r' | 'c' | 'n' | 'd';

export type CitusForeignKey = {
  name: string;
  childOid: string;
  parentOid: string;
  child: TableRef;
  parent: TableRef;
  /** In key order: each child column and the parent column it references. */
  columns: { child: string; parent: string }[];
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
  /** The column list of `ON DELETE SET NULL (…)` (PostgreSQL 15+); empty when the action names none. */
  deleteSetColumns: string[];
  /** pg_get_constraintdef: `FOREIGN KEY (…) REFERENCES …`, to drop the key and add it back. */
  definition: string;
  /** The referencing table as SQL names it (format('%I.%I')). */
  childSqlName: string;
};

export type CitusCatalog = { tables: CitusTable[]; keys: UniqueKey[]; foreignKeys: CitusForeignKey[]; shard: ShardCatalog };

/** Ordinary and partitioned tables (not partitions: Citus distributes the parent) in our schemas. */
const TABLES_SQL = `
  select c.oid::text as oid, n.nspname::text as schema, c.relname::text as name,
         format('%I.%I', n.nspname, c.relname) as "sqlName",
         case when oc.attnum is null then 'absent' when oc.attnotnull then 'not null' else 'nullable' end
           as "organizationId",
         greatest(c.reltuples, 0)::float8 as "estimatedRows",
         pg_total_relation_size(c.oid)::float8 as "totalBytes"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute oc on oc.attrelid = c.oid and oc.attname = 'organization_id' and not oc.attisdropped
   where c.relkind in ('r', 'p') and not c.relispartition and n.nspname = any($1)
     and ${notExtensionMember('pg_class', 'c.oid')}
   order by n.nspname, c.relname`;

/** Every index that enforces uniqueness or exclusion, with its key columns (INCLUDE columns left out). */
const UNIQUE_KEYS_SQL = `
  select i.indrelid::text as "tableOid", ic.relname::text as name,
         case when i.indisprimary then 'primary key'
              when i.indisexclusion then 'exclusion constraint'
              when con.contype = 'u' then 'unique constraint'
              else 'unique index' end as kind,
         array(select a.attname::text
                 from unnest((string_to_array(i.indkey::text, ' ')::int2[])[1:i.indnkeyatts])
                      with ordinality as k(attnum, ord)
                 left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                order by k.ord) as columns
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
     and con.contype in ('p', 'u', 'x')
   where (i.indisunique or i.indisexclusion) and i.indrelid = any($1::text[]::oid[])
   order by i.indrelid, ic.relname`;

/** Foreign keys declared on our tables, with their actions; a partition's inherited copies are left out. */
const FOREIGN_KEYS_SQL = `
  select con.conname::text as name, con.conrelid::text as "childOid", con.confrelid::text as "parentOid",
         cn.nspname::text as "childSchema", c.relname::text as "childName",
         pn.nspname::text as "parentSchema", p.relname::text as "parentName",
         array(select a.attname::text
                 from unnest(con.conkey) with ordinality as k(attnum, ord)
                 join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
                order by k.ord) as "childColumns",
         array(select a.attname::text
                 from unnest(con.confkey) with ordinality as k(attnum, ord)
                 join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum
                order by k.ord) as "parentColumns",
         con.confdeltype::text as "onDelete", con.confupdtype::text as "onUpdate",
         pg_get_constraintdef(con.oid) as definition, format('%I.%I', cn.nspname, c.relname) as "childSqlName",
         array(select a.attname::text
                 from unnest(coalesce(con.confdelsetcols, '{}'::int2[])) with ordinality as k(attnum, ord)
                 join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
                order by k.ord) as "deleteSetColumns"
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace cn on cn.oid = c.relnamespace
    join pg_class p on p.oid = con.confrelid
    join pg_namespace pn on pn.oid = p.relnamespace
   where con.contype = 'f' and con.conparentid = 0 and cn.nspname = any($1)
   order by cn.nspname, c.relname, con.conname`;

type ForeignKeyRow = {
  name: string;
  childOid: string;
  parentOid: string;
  childSchema: string;
  childName: string;
  parentSchema: string;
  parentName: string;
  childColumns: string[];
  parentColumns: string[];
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
  deleteSetColumns: string[];
  definition: string;
  childSqlName: string;
};

/** Tables, their unique keys and foreign keys: everything the readiness rules and the plan read. */
export async function loadCitusCatalog(session: SqlSession): Promise<CitusCatalog> {
  const tables = await session.query<CitusTable>(TABLES_SQL, [APP_SCHEMAS]);
  const keys = await session.query<UniqueKey>(UNIQUE_KEYS_SQL, [tables.map((t) => t.oid)]);
  const rows = await session.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, [APP_SCHEMAS]);
  const foreignKeys = rows.map((row) => ({
    name: row.name,
    childOid: row.childOid,
    parentOid: row.parentOid,
    child: { schema: row.childSchema, name: row.childName },
    parent: { schema: row.parentSchema, name: row.parentName },
    columns: row.childColumns.map((child, i) => {
      const parent = row.parentColumns[i];
      // conkey and confkey have the same length by definition; anything else is a catalog we misread.
      if (parent === undefined) throw new Error(`foreign key ${row.name} has more child than parent columns`);
      return { child, parent };
    }),
    onDelete: row.onDelete,
    onUpdate: row.onUpdate,
    deleteSetColumns: row.deleteSetColumns,
    definition: row.definition,
    childSqlName: row.childSqlName,
  }));
  return { tables, keys, foreignKeys, shard: await loadShardCatalog(session, tables.map((t) => t.name)) };
}
