import { readFileSync, writeFileSync } from 'node:fs';
import type { Database } from '../db/connection.js';
import { quoteIdent } from '../db/roles.js';
import { type ExportHeader, HeaderSchema, bodyLine, headerLine, sha256, trailerLine } from './format.js';

/** Every table of `public` as `<rows>:<md5 of all rows>`: equal snapshots mean nothing was written. */
export async function snapshot(db: Database): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.query<{ n: number; digest: string }>(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from public.${quoteIdent(name)} t`,
    );
    result[name] = `${row?.n}:${row?.digest}`;
  }
  return result;
}

/** Rows of a table as JSON text (generated columns included), sorted, for comparing two databases. */
export async function rowsOf(db: Database, table: string, where: string, params: unknown[]): Promise<string[]> {
  const rows = await db.query<{ row: string }>(
    `select (to_jsonb(t) - 'wrapped_data_key')::text as row from public.${quoteIdent(table)} t where ${where} order by 1`,
    params,
  );
  return rows.map((r) => r.row);
}

export type ExportParts = { header: ExportHeader; rows: { table: string; row: string }[] };

/** Splits a plain export into its header and its rows, each row's JSON text kept as written. */
export function readExport(file: string): ExportParts {
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = HeaderSchema.parse(JSON.parse(lines[0] ?? ''));
  const rows = lines.slice(1, -2).map((line) => {
    const match = /^\{"table":"([^"]+)","row":(.*)\}$/s.exec(line);
    if (!match?.[1] || match[2] === undefined) throw new Error(`not a body line: ${line.slice(0, 80)}`);
    return { table: match[1], row: match[2] };
  });
  return { header, rows };
}

/**
 * Writes a deliberately altered export whose checksums are all correct again, the way someone
 * who edits a file on purpose would: row counts, header checksum and trailer recomputed.
 */
export function writeResealed(file: string, parts: ExportParts): void {
  const { header } = parts;
  const tables = header.tables.map((t) => ({ ...t, rows: parts.rows.filter((r) => r.table === t.name).length }));
  const body = parts.rows.map((r) => bodyLine(r.table, r.row)).join('');
  writeFileSync(
    file,
    headerLine({ ...header, tables }) + body + trailerLine({ body_lines: parts.rows.length, body_sha256: sha256(body) }),
  );
}
