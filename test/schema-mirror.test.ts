import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../src/db/schema/index.js';
import { useMigratedTestDatabase } from './support/migrated-database.js';

/** The SQL migrations are the truth; the Drizzle mirror must describe the same tables and columns. */
describe('Drizzle schema mirror', () => {
  const test = useMigratedTestDatabase();

  const mirrored = (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => value instanceof PgTable)
    .map((table) => getTableConfig(table));

  it('has exactly the tables of the migrations', async () => {
    const rows = await test.db.query<{ name: string }>(
      `select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'tenantry_migrations'`,
    );
    expect(mirrored.map((t) => t.name).sort()).toEqual(rows.map((r) => r.name).sort());
  });

  it('has the same columns, types, nullability and defaults presence for every table', async () => {
    const rows = await test.db.query<{ table: string; column: string; type: string; nullable: string; has_default: boolean }>(
      `select c.table_name as table, c.column_name as column, c.udt_name as type, c.is_nullable as nullable,
              (c.column_default is not null or c.is_generated = 'ALWAYS') as has_default
         from information_schema.columns c
        where c.table_schema = 'public' and c.table_name <> 'tenantry_migrations'`,
    );
    const fromCatalog = rows.map((r) => `${r.table}.${r.column} ${normaliseType(r.type)} ${r.nullable === 'NO' ? 'not null' : 'null'}`).sort();
    const fromMirror = mirrored
      .flatMap((t) => t.columns.map((c) => `${t.name}.${c.name} ${normaliseType(c.getSQLType())} ${c.notNull ? 'not null' : 'null'}`))
      .sort();
    expect(fromMirror).toEqual(fromCatalog);
  });
});

/** information_schema says int4/timestamptz/_text; Drizzle says integer/timestamp with time zone/text[]. */
function normaliseType(type: string): string {
  const aliases: Record<string, string> = {
    int4: 'integer', int8: 'bigint', int2: 'smallint', bool: 'boolean', float8: 'double precision',
    timestamptz: 'timestamp with time zone', 'timestamp with time zone': 'timestamp with time zone',
    _text: 'text[]', _uuid: 'uuid[]', varchar: 'text',
  };
  const base = type.replace(/\(.*\)/, '');
  return aliases[base] ?? base;
}
