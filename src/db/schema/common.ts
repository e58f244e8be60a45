import { getTableName } from 'drizzle-orm';
import {
  type AnyPgColumn,
  type UpdateDeleteAction,
  customType,
  foreignKey,
  primaryKey,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

/** `bytea`: node-postgres returns a Buffer and PGlite a Uint8Array; both are Uint8Arrays. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/** `tsvector`, only ever produced by generated columns; read as its text form. */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType: () => 'tsvector',
});

/** Every timestamp in the schema is `timestamptz`. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/** `created_at` and `updated_at`, on every table; `updated_at` is kept by a trigger. */
export const timestamps = {
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
};

// The migrations leave most constraints unnamed, so PostgreSQL names them
// <table>_<columns>_pkey / _key / _fkey. These helpers derive the same names, so the
// mirror and the catalog can be compared name for name.

type Columns = [AnyPgColumn, ...AnyPgColumn[]];

function constraintName(columns: Columns, suffix: string): string {
  return `${getTableName(columns[0].table)}_${columns.map((c) => c.name).join('_')}_${suffix}`;
}

/** Composite primary key, named `<table>_pkey`. */
export function pk(...columns: Columns) {
  return primaryKey({ name: `${getTableName(columns[0].table)}_pkey`, columns });
}

/** Unique constraint, named `<table>_<columns>_key`. */
export function uniqueKey(...columns: Columns) {
  return unique(constraintName(columns, 'key')).on(...columns);
}

/**
 * Foreign key, named `<table>_<columns>_fkey`. Keys that include organization_id never say
 * `set null`: Citus refuses it, so their references are cleared by src/db/cleared-references.ts.
 */
export function fk(columns: Columns, foreignColumns: Columns, onDelete: UpdateDeleteAction) {
  return foreignKey({ name: constraintName(columns, 'fkey'), columns, foreignColumns }).onDelete(onDelete);
}
