import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR, NO_TRANSACTION_MARK } from '../db/migrator/files.js';
import { TenantryError } from '../errors.js';
import { type RuleName, type Violation, checkScript } from './rules.js';
import { parseScript } from './sql-source.js';

export type Finding = { file: string; line: number; rule: RuleName; message: string };

/** The same mark the migrator reads (src/db/migrator/files.ts). */
const IGNORE_COMMENT = /^\s*--\s*tenantry-lint-ignore\b(.*)$/;
const IGNORE_BODY = /^\s+([a-z][a-z0-9-]*)\s*(?::(.*))?$/;
const COMMENT_LINE = /^\s*--/;
const MIGRATION_FOLDER = /^\d{4}_[a-z0-9_]+$/;

/**
 * Lints migration scripts and returns every finding, file by file in the order given.
 * A file that cannot be read stops the run with a TenantryError.
 *
 * @example
 * const findings = await lintFiles(migrationUpScripts());
 * // [{ file: '…/0005_x/up.sql', line: 3, rule: 'drop-column', message: '…' }]
 */
export async function lintFiles(paths: readonly string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const path of paths) findings.push(...(await lintSql(readSql(path), path)));
  return findings;
}

/** Lints one script's text; `file` only labels the findings. */
export async function lintSql(sql: string, file: string): Promise<Finding[]> {
  const parsed = await parseScript(sql);
  if (!parsed.ok) return [{ file, line: parsed.line, rule: 'syntax-error', message: parsed.message }];

  const lines = sql.split('\n');
  const violations = checkScript(parsed.statements, { transactional: !NO_TRANSACTION_MARK.test(sql) });
  const silencedByLine = new Map(parsed.statements.map(({ line }) => [line, silencedRules(lines, line)]));
  const kept = violations.filter(({ rule, line }) => !silencedByLine.get(line)?.has(rule));
  return [...kept, ...ignoresWithoutReason(lines)]
    .sort((a, b) => a.line - b.line)
    .map(({ rule, line, message }) => ({ file, line, rule, message }));
}

/** Every `migrations/NNNN_name/up.sql`, in version order: what `tenantry db lint` checks by default. */
export function migrationUpScripts(dir: string = MIGRATIONS_DIR): string[] {
  if (!existsSync(dir)) throw new TenantryError('bad_request', `no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && MIGRATION_FOLDER.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name, 'up.sql'));
}

type IgnoreComment = { rule: string; reason: string };

/**
 * The rules silenced for the statement starting on `line`: ignore comments with a reason in
 * the unbroken block of `--` lines right above it.
 */
function silencedRules(lines: readonly string[], line: number): Set<string> {
  const rules = new Set<string>();
  for (let index = line - 2; index >= 0 && COMMENT_LINE.test(lines[index] ?? ''); index--) {
    const ignore = parseIgnore(lines[index] ?? '');
    if (ignore?.rule && ignore.reason) rules.add(ignore.rule);
  }
  return rules;
}

/** An ignore without a reason silences nothing and is a finding of its own, wherever it is. */
function ignoresWithoutReason(lines: readonly string[]): Violation[] {
  return lines.flatMap((text, index) => {
    const ignore = parseIgnore(text);
    if (!ignore || (ignore.rule && ignore.reason)) return [];
    const problem = ignore.rule ? 'gives no reason' : 'names no rule';
    return [{
      rule: 'ignore-without-reason' as const,
      line: index + 1,
      message: `this ignore ${problem}; write \`-- tenantry-lint-ignore <rule-name>: <why this is safe>\``,
    }];
  });
}

function parseIgnore(text: string): IgnoreComment | undefined {
  const body = IGNORE_COMMENT.exec(text)?.[1];
  if (body === undefined) return undefined;
  const match = IGNORE_BODY.exec(body);
  return { rule: match?.[1] ?? '', reason: match?.[2]?.trim() ?? '' };
}

function readSql(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TenantryError('bad_request', `cannot read ${path}: ${readFailure(error)}`);
  }
}

function readFailure(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
