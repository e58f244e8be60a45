import { type Node, hasSqlDetails, loadModule, parseSync } from 'libpg-query';

/** One top-level statement of a script, with the line its first token is on (1-based). */
export type SourceStatement = { node: Node; line: number };

export type ParsedScript =
  | { ok: true; statements: SourceStatement[] }
  | { ok: false; line: number; message: string };

/**
 * Parses a script with PostgreSQL's own grammar and places every statement on its first line.
 *
 * @example
 * const parsed = await parseScript('set lock_timeout = 1000;\nalter table t drop column c;');
 * // parsed.ok && parsed.statements.map((s) => s.line) → [1, 2]
 */
export async function parseScript(sql: string): Promise<ParsedScript> {
  // The WASM module loads once per process; later calls resolve at once.
  await loadModule();
  let raw;
  try {
    raw = parseSync(sql).stmts ?? [];
  } catch (error) {
    if (!hasSqlDetails(error)) throw error;
    // libpg-query reports the cursor as a 0-based character index.
    const at = error.sqlDetails?.cursorPosition ?? 0;
    return { ok: false, line: lineAt(sql, at), message: error.sqlDetails?.message ?? error.message };
  }
  const bytes = Buffer.from(sql, 'utf8');
  const statements: SourceStatement[] = [];
  for (const { stmt, stmt_location: location = 0 } of raw) {
    if (!stmt) continue;
    // The location is the statement's first token, counted in UTF-8 bytes.
    const start = bytes.subarray(0, location).toString('utf8').length;
    statements.push({ node: stmt, line: lineAt(sql, start) });
  }
  return { ok: true, statements };
}

/** The 1-based line of a character index. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
