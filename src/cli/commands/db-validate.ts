import type { Command } from 'commander';
import { type ValidationReport, validateDatabase } from '../../validate/index.js';
import { printJson, say, withDatabase } from '../runtime.js';

export function registerValidate(db: Command): void {
  db.command('validate')
    .description('prove isolation and integrity: RLS catalog rules, a live probe as tenantry_app, orphans')
    .option('--json', 'print the findings as JSON')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (database) => {
        const report = await validateDatabase(database);
        if (options.json) printJson(report);
        else printFindings(report);
        if (!report.ok) process.exitCode = 1;
      });
    });
}

export function printFindings(report: ValidationReport): void {
  for (const skipped of report.skipped) say(`  skipped [${skipped.rule}]: ${skipped.reason}`);
  if (report.ok) {
    say(`Validation passed: ${report.checks} checks, no findings.`);
    return;
  }
  say(`Validation failed: ${report.findings.length} finding(s) in ${report.checks} checks.`);
  for (const finding of report.findings) {
    say(`  [${finding.rule}] ${finding.table ?? '(database)'}: ${finding.message}`);
  }
}
