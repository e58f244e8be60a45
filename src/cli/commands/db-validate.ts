import type { Command } from 'commander';
import { DEFAULT_REFERENCE_LIMITS, type ReferenceLimits, checkCitusReadiness } from '../../citus/index.js';
import { type Finding, type ValidationReport, validateDatabase } from '../../validate/index.js';
import { positiveInteger, printJson, say, withDatabase } from '../runtime.js';

export function registerValidate(db: Command): void {
  withReferenceLimitOptions(
    db
      .command('validate')
      .description('prove isolation and integrity: RLS catalog rules, a live probe as tenantry_app, orphans')
      .option('--json', 'print the findings as JSON')
      .option('--citus', 'also check Citus readiness: keys and foreign keys carry organization_id, reference tables are small'),
  ).action(async (options: { json?: boolean; citus?: boolean } & ReferenceLimitOptions) => {
    await withDatabase(async (database) => {
      const report = await validateDatabase(database);
      const citus = options.citus ? await checkCitusReadiness(database, referenceLimits(options)) : null;
      if (options.json) printJson(citus ? { ...report, citus } : report);
      else {
        printFindings(report);
        if (citus) printFindings(citus, 'Citus readiness');
      }
      if (!report.ok || (citus && !citus.ok)) process.exitCode = 1;
    });
  });
}

export type ReferenceLimitOptions = { referenceMaxRows: number; referenceMaxMb: number };

/** `--reference-max-rows` and `--reference-max-mb`, shared by `db distribute` and `db validate --citus`. */
export function withReferenceLimitOptions(command: Command): Command {
  return command
    .option(
      '--reference-max-rows <n>',
      'Citus checks: the most rows (estimated) a reference table may have',
      positiveInteger('--reference-max-rows'),
      DEFAULT_REFERENCE_LIMITS.maxRows,
    )
    .option(
      '--reference-max-mb <n>',
      'Citus checks: the most MB (with indexes) a reference table may have',
      positiveInteger('--reference-max-mb'),
      DEFAULT_REFERENCE_LIMITS.maxBytes / (1024 * 1024),
    );
}

export function referenceLimits(options: ReferenceLimitOptions): ReferenceLimits {
  return { maxRows: options.referenceMaxRows, maxBytes: options.referenceMaxMb * 1024 * 1024 };
}

/** What printFindings needs: a validation report, or the Citus readiness report with its notes. */
type PrintableReport = Pick<ValidationReport, 'ok' | 'findings' | 'checks'> & {
  skipped?: readonly { rule: string; reason: string }[];
  notes?: readonly Finding[];
};

export function printFindings(report: PrintableReport, title = 'Validation'): void {
  for (const skipped of report.skipped ?? []) say(`  skipped [${skipped.rule}]: ${skipped.reason}`);
  for (const note of report.notes ?? []) say(`  note [${note.rule}] ${note.table ?? '(database)'}: ${note.message}`);
  if (report.ok) {
    say(`${title} passed: ${report.checks} checks, no findings.`);
    return;
  }
  say(`${title} failed: ${report.findings.length} finding(s) in ${report.checks} checks.`);
  for (const finding of report.findings) {
    say(`  [${finding.rule}] ${finding.table ?? '(database)'}: ${finding.message}`);
  }
}
