import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, SqlSession } from '../../db/connection.js';
import { quoteIdent } from '../../db/roles.js';
import { TenantryError } from '../../errors.js';
import type { Cell } from './tables.js';

/** About this much COPY text is handed to the driver at a time. */
const POSTGRES_CHUNK_CHARS = 256 * 1024;
/** PGlite takes each COPY as one in-memory blob: large enough to amortise a statement, small enough to stay cheap. */
const PGLITE_CHUNK_CHARS = 8 * 1024 * 1024;

/** One connection for the whole load: a session plus COPY, which `Database` does not offer. */
export type BulkConnection = SqlSession & {
  /** Streams `rows` into `table` with COPY … FROM STDIN (text format); resolves to the rows loaded. */
  copy(table: string, columns: readonly string[], rows: Iterable<Cell[]>, onRows: (rows: number) => void): Promise<number>;
};

/**
 * Runs `work` on one dedicated connection that can COPY. The driver client is reached through
 * drizzle's documented `$client` (the pool or PGlite instance the `Database` was opened with),
 * so the load shares the configuration and lifetime of the `Database` it was given.
 */
export async function withBulkConnection<T>(db: Database, work: (connection: BulkConnection) => Promise<T>): Promise<T> {
  const client: unknown = Reflect.get(db.orm, '$client');
  if (client instanceof pg.Pool) return withPostgres(client, work);
  if (client instanceof PGlite) {
    const lite = client;
    // Inside db.session so the load holds PGlite's single connection, as every other session does.
    return db.session((session) => work({ ...session, copy: (table, columns, rows, onRows) => copyIntoPglite(lite, table, columns, rows, onRows) }));
  }
  throw new TenantryError('internal', 'the scale seed needs a node-postgres pool or a PGlite instance behind the database');
}

async function withPostgres<T>(pool: pg.Pool, work: (connection: BulkConnection) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    return await work({
      query: async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
      exec: async (script: string) => {
        await client.query(script);
      },
      copy: async (table, columns, rows, onRows) => {
        const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
        await pipeline(Readable.from(textChunks(rows, POSTGRES_CHUNK_CHARS, onRows)), stream);
        return stream.rowCount;
      },
    });
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A failed load may leave a transaction or a COPY open: discard the connection.
    client.release(broken);
  }
}

async function copyIntoPglite(
  client: PGlite,
  table: string,
  columns: readonly string[],
  rows: Iterable<Cell[]>,
  onRows: (rows: number) => void,
): Promise<number> {
  let loaded = 0;
  let pending = 0;
  for (const chunk of textChunks(rows, PGLITE_CHUNK_CHARS, (n) => (pending += n))) {
    const result = await client.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([chunk]) });
    loaded += result.affectedRows ?? 0;
    onRows(pending);
    pending = 0;
  }
  return loaded;
}

function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from ${source}`;
}

/** COPY text-format lines, batched into strings of about `chunkChars`; reports rows per batch. */
export function* textChunks(rows: Iterable<Cell[]>, chunkChars: number, onRows: (rows: number) => void): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    chunk += encodeRow(row);
    count++;
    if (chunk.length >= chunkChars) {
      onRows(count);
      yield chunk;
      chunk = '';
      count = 0;
    }
  }
  if (count > 0) {
    onRows(count);
    yield chunk;
  }
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One row in COPY's text format: tab-separated, `\N` for NULL, backslash escapes. */
export function encodeRow(row: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += '\t';
    const cell = row[i] ?? null;
    if (cell === null) line += '\\N';
    else if (typeof cell === 'string') line += SPECIAL.test(cell) ? cell.replace(SPECIALS, (c) => ESCAPED[c] ?? c) : cell;
    else if (typeof cell === 'boolean') line += cell ? 't' : 'f';
    else line += String(cell);
  }
  return `${line}\n`;
}
