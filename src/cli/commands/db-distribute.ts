import type { Command } from 'commander';
import { type DistributeOutcome, type DistributionStep, distribute } from '../../citus/index.js';
import { TenantryError } from '../../errors.js';
import { say, withDatabase } from '../runtime.js';
import { type ReferenceLimitOptions, printFindings, referenceLimits, withReferenceLimitOptions } from './db-validate.js';

export function registerDistribute(db: Command): void {
  withReferenceLimitOptions(
    db
      .command('distribute')
      .description(
        'spread the database over a Citus cluster: platform tables become reference tables, tenant tables are distributed by organization_id',
      )
      .option('--dry-run', 'check readiness and print the statements in order, running none (works without Citus)'),
  ).action(async (options: { dryRun?: boolean } & ReferenceLimitOptions) => {
    await withDatabase(async (database) => {
      const outcome = await distribute(database, { dryRun: options.dryRun ?? false, limits: referenceLimits(options) });
      printOutcome(outcome);
    });
  });
}

/**
 * A missing extension and a refusal are errors (exit 1, one line on stderr): the operator asked
 * for a distribution that did not happen. A dry run exits 1 when distribute would refuse.
 */
function printOutcome(outcome: DistributeOutcome): void {
  switch (outcome.status) {
    case 'citus-absent':
      throw new TenantryError(
        'refused',
        'the citus extension is not installed in this database; nothing was changed (--dry-run shows the plan without it)',
      );
    case 'refused':
      printFindings(outcome.report, 'Citus readiness');
      throw new TenantryError(
        'refused',
        `refusing to distribute: ${outcome.report.findings.length} Citus readiness finding(s); nothing was changed`,
      );
    case 'planned':
      printFindings(outcome.report, 'Citus readiness');
      say();
      if (!outcome.citusVersion) say('-- the citus extension is not installed here: this is the plan for a database that has it');
      printScript(outcome.steps, outcome.script);
      if (!outcome.report.ok) {
        say(`-- distribute would refuse: fix the ${outcome.report.findings.length} finding(s) above first`);
        process.exitCode = 1;
      }
      return;
    case 'distributed': {
      for (const step of outcome.steps) say(`  ${step.statement}`);
      const distributed = outcome.steps.filter((s) => s.kind === 'distributed').length;
      say(
        outcome.steps.length === 0
          ? `Every table is already distributed or a reference table (citus ${outcome.citusVersion}); nothing to do.`
          : `Made ${outcome.steps.length - distributed} reference table(s) and distributed ${distributed} table(s) ` +
              `by tenant (citus ${outcome.citusVersion}).`,
      );
      return;
    }
  }
}

/** Exactly what distribute runs, as a script psql would accept, each conversion with the reason for it. */
function printScript(steps: DistributionStep[], script: string[]): void {
  const references = steps.filter((s) => s.kind === 'reference').length;
  say(`-- ${references} reference table(s), then ${steps.length - references} distributed table(s), in one transaction`);
  const reasons = new Map(steps.map((step) => [step.statement, `${step.table}: ${step.reason}`]));
  say('begin;');
  for (const statement of script) {
    const reason = reasons.get(statement);
    say(reason ? `${statement};  -- ${reason}` : `${statement};`);
  }
  say('commit;');
}
