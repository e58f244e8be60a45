import { relative } from 'node:path';
import type { Command } from 'commander';
import { type Finding, lintFiles, migrationUpScripts } from '../../lint/lint.js';
import { RULES } from '../../lint/rules.js';
import { printJson, say } from '../runtime.js';

export function registerLint(db: Command): void {
  db.command('lint')
    .description('flag migration statements that lock or break a live database (no database needed)')
    .argument('[files...]', 'SQL files to lint (default: every migrations/*/up.sql)')
    .option('--json', 'print the findings as a JSON array')
    .addHelpText('after', lintHelp())
    .action(async (files: string[], options: { json?: boolean }) => {
      // down.sql undoes its up.sql, so dropping what up created is its job: not linted by default.
      const paths = files.length > 0 ? files : migrationUpScripts().map((path) => relative(process.cwd(), path));
      const findings = await lintFiles(paths);
      if (options.json) printJson(findings);
      else printFindings(findings, paths.length);
      if (findings.length > 0) process.exitCode = 1;
    });
}

/** One `path:line  rule  message` line per finding, then a summary. */
export function printFindings(findings: readonly Finding[], fileCount: number): void {
  for (const { file, line, rule, message } of findings) say(`${file}:${line}  ${rule}  ${message}`);
  if (findings.length === 0) {
    say(`No findings in ${fileCount} file(s).`);
    return;
  }
  const files = new Set(findings.map(({ file }) => file)).size;
  say(`${findings.length} finding(s) in ${files} of ${fileCount} file(s).`);
}

function lintHelp(): string {
  const width = Math.max(...Object.keys(RULES).map((name) => name.length));
  const rules = Object.entries(RULES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    '',
    'Without FILES, lints every migrations/*/up.sql; down.sql files are rollbacks and are not',
    'linted unless named. Tables created earlier in the same file count as new, so the rules',
    'about existing tables leave them alone.',
    '',
    'Rules:',
    ...rules,
    '',
    'Silence a rule for one statement with a comment on the line(s) right above it:',
    '  -- tenantry-lint-ignore drop-column: no release since 0.4 reads users.legacy_name',
    '',
    'Exits 1 when there are findings, 0 when clean.',
  ].join('\n');
}
