import type { Database } from '../../db/connection.js';
import { quoteIdent } from '../../db/roles.js';

/**
 * Every `table.column` in the public schema whose value contains `needle`: text, jsonb and
 * every other type through its text form, and bytea also byte for byte (a secret stored as raw
 * UTF-8 bytes shows up as hex in the text form). Tests use it to prove a plaintext secret is
 * nowhere in the database, audit trail included. Run it as a role that bypasses RLS.
 */
export async function columnsContaining(db: Database, needle: string): Promise<string[]> {
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `select c.table_name, c.column_name, c.data_type
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`,
  );
  const hits: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    const col = quoteIdent(column);
    const bytewise = type === 'bytea' ? ` or position(convert_to($1, 'UTF8') in ${col}) > 0` : '';
    const [row] = await db.query<{ found: boolean }>(
      `select exists (select from ${quoteIdent(table)} where strpos(${col}::text, $1) > 0${bytewise}) as found`,
      [needle],
    );
    if (row?.found) hits.push(`${table}.${column}`);
  }
  return hits;
}
