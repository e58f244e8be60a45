import { type Column, getTableColumns, is } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import * as schema from '../db/schema/index.js';

/**
 * Which request fields a unique violation is about, so a client can point at the field
 * (`409 conflict`, `details: [{ path: 'key' }]`).
 *
 * PostgreSQL names the violated constraint or index but, on tables with row-level security,
 * never the key's columns (the detail could leak another row). The columns come from the Drizzle
 * mirror of the schema instead (kept equal to the migrations by test/schema-mirror.test.ts), so
 * every future unique index is covered without being listed here. The tenant and project
 * columns only scope a rule; the rest are the fields. A partial index whose columns are all scope
 * (one active sprint per project) names its field in `SCOPE_ONLY_INDEXES`.
 *
 * @example
 * conflictingFields(error) // [{ path: 'key' }] for projects_organization_id_key_key
 */

const SCOPE_FIELDS = new Set(['organizationId', 'projectId']);

/** Partial unique indexes over scope columns only: the field their `where` clause is about. */
const SCOPE_ONLY_INDEXES: Record<string, string> = {
  sprints_one_active_per_project_idx: 'status',
  subscriptions_one_live_per_organization_idx: 'status',
  ai_providers_one_default_per_organization_idx: 'isDefault',
};

/** Constraint or index name → the API field names of its columns, for every table in the schema. */
function uniqueKeyFields(): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const table of Object.values(schema)) {
    if (!is(table, PgTable)) continue;
    const config = getTableConfig(table);
    const fieldOf = new Map(Object.entries<Column>(getTableColumns(table)).map(([field, column]) => [column.name, field]));
    const namesOf = (columns: readonly unknown[]) =>
      columns.flatMap((column) => {
        const name = typeof column === 'object' && column !== null && 'name' in column ? column.name : undefined;
        const field = typeof name === 'string' ? fieldOf.get(name) : undefined;
        return field ? [field] : [];
      });
    for (const column of config.columns) if (column.isUnique && column.uniqueName) fields.set(column.uniqueName, namesOf([column]));
    // A single-column primary key that is itself a field (the slug registry's `slug`).
    for (const column of config.columns) if (column.primary) fields.set(`${config.name}_pkey`, namesOf([column]));
    for (const unique of config.uniqueConstraints) {
      const name = unique.getName();
      if (name) fields.set(name, namesOf(unique.columns));
    }
    for (const index of config.indexes) {
      if (index.config.unique && index.config.name) fields.set(index.config.name, namesOf(index.config.columns));
    }
  }
  return fields;
}

let known: Map<string, string[]> | undefined;

/**
 * The name of the violated constraint, under Drizzle's (and Better Auth's) wrappers. Citus
 * relays a worker's error without the constraint field, so there only the message names it.
 */
function constraintOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    if ('constraint' in current && typeof current.constraint === 'string') return current.constraint;
    const relayed =
      'code' in current && current.code === '23505' && 'message' in current && typeof current.message === 'string'
        ? /unique constraint "([^"]+)"/.exec(current.message)
        : null;
    if (relayed?.[1]) return relayed[1];
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

export function conflictingFields(error: unknown): { path: string }[] | undefined {
  const named = constraintOf(error);
  if (!named) return undefined;
  known ??= uniqueKeyFields();
  // On Citus the violation happens on a shard, whose constraint carries the shard id (…_key_102037).
  const constraint = known.has(named) || SCOPE_ONLY_INDEXES[named] ? named : named.replace(/_\d+$/, '');
  const fields = (known.get(constraint) ?? []).filter((field) => !SCOPE_FIELDS.has(field));
  if (fields.length > 0) return fields.map((path) => ({ path }));
  const scoped = SCOPE_ONLY_INDEXES[constraint];
  return scoped ? [{ path: scoped }] : undefined;
}
