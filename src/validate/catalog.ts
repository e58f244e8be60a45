import type { SqlSession } from '../db/connection.js';
import { ROLES, quoteIdent } from '../db/roles.js';

/** The schemas Tenantry's own objects live in; everything else (pg_catalog, extensions' schemas) is not ours to judge. */
export const APP_SCHEMAS = ['public', 'app'];

export type TableRef = { schema: string; name: string };

/**
 * A table RLS must isolate. `tenant`: a NOT NULL organization_id (or `organizations`, isolated
 * by its own id). `shared`: a nullable organization_id whose NULL rows are public (templates).
 */
export type TenantTable = TableRef & {
  oid: string;
  kind: 'tenant' | 'shared';
  /** The column holding the tenant: `organization_id`, or `id` for organizations. */
  tenantColumn: string;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  /** What tenantry_app may do with the tenant column, so the probe only tries what it is granted. */
  appCanSelect: boolean;
  appCanUpdate: boolean;
  appCanDelete: boolean;
};

export type ForeignKey = {
  name: string;
  child: TableRef;
  parent: TableRef;
  /** In key order: each child column and the parent column it references. */
  columns: { child: string; parent: string }[];
  /** Some valid, non-partial index leads with exactly the child columns (in any order). */
  indexed: boolean;
};

export type Catalog = { tables: TenantTable[]; foreignKeys: ForeignKey[] };

/** `"schema"."name"`, for generated SQL. */
export function qualified(table: TableRef): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/** `projects` for public tables, `app.thing` otherwise: what findings name. */
export function displayName(table: TableRef): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/** Objects an extension installed (pg_stat_statements' views, say) are the extension's business. */
export function notExtensionMember(catalogTable: 'pg_class' | 'pg_proc', oidColumn: string): string {
  return `not exists (select from pg_depend d
                       where d.classid = '${catalogTable}'::regclass and d.objid = ${oidColumn} and d.deptype = 'e')`;
}

const TENANT_TABLES_SQL = `
  select c.oid::text as oid, n.nspname::text as schema, c.relname::text as name,
         case when tc.attnotnull then 'tenant' else 'shared' end as kind,
         tc.attname::text as "tenantColumn",
         c.relrowsecurity as "rowSecurity", c.relforcerowsecurity as "forceRowSecurity",
         coalesce(has_column_privilege(to_regrole($2), c.oid, tc.attname, 'SELECT'), false) as "appCanSelect",
         coalesce(has_column_privilege(to_regrole($2), c.oid, tc.attname, 'UPDATE'), false) as "appCanUpdate",
         coalesce(has_table_privilege(to_regrole($2), c.oid, 'DELETE'), false) as "appCanDelete"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute tc on tc.attrelid = c.oid and tc.attnum > 0 and not tc.attisdropped
     and tc.attname = case when n.nspname = 'public' and c.relname = 'organizations' then 'id'
                           else 'organization_id' end
   where c.relkind in ('r', 'p') and n.nspname = any($1)
     and ${notExtensionMember('pg_class', 'c.oid')}
   order by n.nspname, c.relname`;

/**
 * Foreign keys declared on our tables. Constraints a partition inherits (conparentid <> 0)
 * are left out: the partitioned table's own constraint stands for them.
 */
const FOREIGN_KEYS_SQL = `
  select con.conname::text as name,
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
         exists (
           select from pg_index i
            cross join lateral (
              select (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)] as lead
            ) l
            where i.indrelid = con.conrelid and i.indisvalid and i.indpred is null
              and i.indnkeyatts >= cardinality(con.conkey)
              and l.lead @> con.conkey and l.lead <@ con.conkey
         ) as indexed
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace cn on cn.oid = c.relnamespace
    join pg_class p on p.oid = con.confrelid
    join pg_namespace pn on pn.oid = p.relnamespace
   where con.contype = 'f' and con.conparentid = 0 and cn.nspname = any($1)
   order by cn.nspname, c.relname, con.conname`;

type ForeignKeyRow = {
  name: string;
  childSchema: string;
  childName: string;
  parentSchema: string;
  parentName: string;
  childColumns: string[];
  parentColumns: string[];
  indexed: boolean;
};

/** Classifies the tables and lists the foreign keys: two catalog queries every rule builds on. */
export async function loadCatalog(session: SqlSession): Promise<Catalog> {
  const tables = await session.query<TenantTable>(TENANT_TABLES_SQL, [APP_SCHEMAS, ROLES.app]);
  const rows = await session.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, [APP_SCHEMAS]);
  const foreignKeys = rows.map((row) => ({
    name: row.name,
    child: { schema: row.childSchema, name: row.childName },
    parent: { schema: row.parentSchema, name: row.parentName },
    columns: row.childColumns.map((child, i) => {
      const parent = row.parentColumns[i];
      // conkey and confkey have the same length by definition; anything else is a catalog we misread.
      if (parent === undefined) throw new Error(`foreign key ${row.name} has more child than parent columns`);
      return { child, parent };
    }),
    indexed: row.indexed,
  }));
  return { tables, foreignKeys };
}

/** The tenant or shared table `ref` names, if it is one. */
export function findTenantTable(tables: TenantTable[], ref: TableRef): TenantTable | undefined {
  return tables.find((table) => table.schema === ref.schema && table.name === ref.name);
}
