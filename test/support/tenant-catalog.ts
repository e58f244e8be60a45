import type { Database } from '../../src/db/connection.js';

export type TenantTable = {
  name: string;
  /** The column holding the tenant: `organization_id`, or `id` for organizations itself. */
  tenantColumn: string;
  /** Nullable tenant column: NULL rows are public (templates). */
  shared: boolean;
  /** Columns a copy of a row may set (generated columns excluded). */
  insertableColumns: string[];
};

/** Every table that holds tenant rows, read from the catalog so new tables are covered automatically. */
export async function tenantTables(db: Database): Promise<TenantTable[]> {
  const rows = await db.query<{ name: string; not_null: boolean; columns: string[] }>(`
    select c.relname as name, t.attnotnull as not_null,
           array(select a.attname::text from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                  order by a.attnum) as columns
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute t on t.attrelid = c.oid and t.attname = 'organization_id' and not t.attisdropped
     where c.relkind in ('r', 'p')
     order by c.relname`);
  const tables: TenantTable[] = rows.map((row) => ({
    name: row.name,
    tenantColumn: 'organization_id',
    shared: !row.not_null,
    insertableColumns: row.columns,
  }));
  const [organizations] = await db.query<{ columns: string[] }>(`
    select array(select a.attname::text from pg_attribute a
                  where a.attrelid = 'public.organizations'::regclass and a.attnum > 0
                    and not a.attisdropped and a.attgenerated = '' order by a.attnum) as columns`);
  tables.push({ name: 'organizations', tenantColumn: 'id', shared: false, insertableColumns: organizations?.columns ?? [] });
  return tables;
}
