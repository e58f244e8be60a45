import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { taskPriorities, tasks } from '../../db/schema/index.js';
import { TenantryError } from '../../errors.js';
import { isUuid } from '../../uuid.js';

const KEYS = ['position', 'priority', 'updated', 'created', 'due'] as const;
export const TASK_SORTS = KEYS.flatMap((key) => [key, `-${key}`] as const);
export type TaskSort = (typeof TASK_SORTS)[number];

type SortKey = {
  /** The value ordered by. */
  expression: SQL;
  /** The same value as text, carried in the cursor, and back from it. */
  asText: SQL;
  fromText: (value: string | Placeholder) => SQL;
  /** What a cursor's value must look like, so a forged one is a 400, never a failed cast. */
  valid: (value: string) => boolean;
  nullable: boolean;
  /** No two live tasks of a project share a value, so within one project it orders alone. */
  uniqueInProject?: true;
};

const utcText = (column: SQL | typeof tasks.updatedAt) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** True for a real instant written as `utcText` writes it (not 2026-02-30, which JavaScript would roll over). */
const isTimestamp = (value: string) => {
  const time = Date.parse(value);
  return /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().slice(0, 23) === value.slice(0, 23);
};
const isDate = (value: string) => /^(?!0000)\d{4}-\d{2}-\d{2}$/.test(value) && isTimestamp(`${value}T00:00:00.000000Z`);

// Ascending priority is low → urgent, the order the values are declared in.
const priorityRank = sql`array_position(${sql.raw(`array[${taskPriorities.map((p) => `'${p}'`).join(', ')}]::text[]`)}, ${tasks.priority})`;

const SORT_KEYS: Record<(typeof KEYS)[number], SortKey> = {
  position: {
    expression: sql`${tasks.position} collate "C"`,
    asText: sql`${tasks.position}`,
    fromText: (value) => sql`${value}::text collate "C"`,
    valid: (value) => /^[0-9A-Za-z]{1,1000}$/.test(value),
    nullable: false,
    uniqueInProject: true,
  },
  priority: {
    expression: priorityRank,
    asText: sql`${priorityRank}::text`,
    fromText: (value) => sql`${value}::integer`,
    valid: (value) => /^[1-9]$/.test(value),
    nullable: false,
  },
  updated: {
    expression: sql`${tasks.updatedAt}`,
    asText: utcText(tasks.updatedAt),
    fromText: (value) => sql`${value}::timestamptz`,
    valid: isTimestamp,
    nullable: false,
  },
  created: {
    expression: sql`${tasks.createdAt}`,
    asText: utcText(tasks.createdAt),
    fromText: (value) => sql`${value}::timestamptz`,
    valid: isTimestamp,
    nullable: false,
  },
  due: {
    expression: sql`${tasks.dueDate}`,
    asText: sql`${tasks.dueDate}::text`,
    fromText: (value) => sql`${value}::date`,
    valid: isDate,
    nullable: true,
  },
};

/** Where the previous page ended: its last task's sort value and id. */
export type TaskCursor = { value: string | null; id: string };

/**
 * A sort as the query runs it. `oneProject`: the list is confined to one project, where a
 * unique key needs no tie-break, so the page is read straight from the key's index
 * (position: the partial unique index of migration 0010) instead of sorting the project.
 */
export type TaskOrder = { sort: TaskSort; key: SortKey; descending: boolean; byKeyAlone: boolean };

export function orderOf(sort: TaskSort, oneProject = false): TaskOrder {
  const descending = sort.startsWith('-');
  const name = (descending ? sort.slice(1) : sort) as (typeof KEYS)[number]; // one of KEYS, by TASK_SORTS' construction
  const key = SORT_KEYS[name];
  return { sort, key, descending, byKeyAlone: oneProject && key.uniqueInProject === true };
}

/**
 * ORDER BY for a sort: its value, then the id as the tie-break. Nulls come last in both
 * directions; a key that cannot be null says nothing about them, so a descending page can
 * still walk an ascending index backwards.
 */
export function orderBy({ key, descending, byKeyAlone }: TaskOrder): SQL[] {
  const direction = sql.raw(`${descending ? 'desc' : 'asc'}${key.nullable ? ' nulls last' : ''}`);
  const byValue = sql`${key.expression} ${direction}`;
  return byKeyAlone ? [byValue] : [byValue, descending ? sql`${tasks.id} desc` : sql`${tasks.id} asc`];
}

/** Rows strictly after the cursor in this order; its value and id may be placeholders of a statement built once. */
export function afterCursor({ key, descending, byKeyAlone }: TaskOrder, cursor: { value: string | Placeholder | null; id: string | Placeholder }): SQL {
  const beyond = descending ? sql.raw('<') : sql.raw('>');
  if (cursor.value === null) return sql`(${key.expression} is null and ${tasks.id} ${beyond} ${cursor.id}::uuid)`;
  if (byKeyAlone) return sql`${key.expression} ${beyond} ${key.fromText(cursor.value)}`;
  const pastValue = sql`(${key.expression}, ${tasks.id}) ${beyond} (${key.fromText(cursor.value)}, ${cursor.id}::uuid)`;
  return key.nullable ? sql`(${pastValue} or ${key.expression} is null)` : pastValue;
}

export function encodeTaskCursor(sort: TaskSort, cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify({ s: sort, v: cursor.value, id: cursor.id })).toString('base64url');
}

/** The cursor to continue after, or null for the first page; one issued for another sort, or forged, is a 400. */
export function decodeTaskCursor(sort: TaskSort, text: string | undefined): TaskCursor | null {
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const { key } = orderOf(sort);
  if (typeof parsed === 'object' && parsed !== null && 's' in parsed && 'v' in parsed && 'id' in parsed) {
    const { s, v, id } = parsed;
    const validValue = (typeof v === 'string' && key.valid(v)) || (v === null && key.nullable);
    if (s === sort && typeof id === 'string' && isUuid(id) && validValue) return { value: v, id };
  }
  throw new TenantryError('validation_failed', 'cursor is not one this API issued for this sort', [{ path: 'cursor', message: 'invalid cursor' }]);
}
