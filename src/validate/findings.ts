/** Every rule validate applies; a finding always names one of them. */
export const RULES = [
  'rls-enabled',
  'rls-forced',
  'policy-missing',
  'policy-unsafe',
  'tenant-index',
  'fk-index',
  'view-invoker',
  'definer-search-path',
  'app-role',
  'audit-trigger',
  'orphaned-row',
  'cross-tenant-reference',
  'model-rule',
  'probe-no-context',
  'probe-own-rows',
  'probe-cross-tenant',
] as const;

export type RuleName = (typeof RULES)[number];

/** `table` names the table (or view, function, role) at fault; null when it is the database as a whole. */
export type Finding = { rule: string; table: string | null; message: string };

/** A check that could not run on this database, with the reason (e.g. no second tenant to probe). */
export type SkippedCheck = { rule: RuleName; reason: string };

export type ValidationReport = {
  ok: boolean;
  findings: Finding[];
  /** How many individual checks ran (one per rule and object examined). */
  checks: number;
  checksByRule: Partial<Record<RuleName, number>>;
  skipped: SkippedCheck[];
};

/** What each rule writes into while it runs; `index.ts` turns it into the report. */
export class RuleLog {
  readonly findings: Finding[] = [];
  readonly skipped: SkippedCheck[] = [];
  readonly checksByRule: Partial<Record<RuleName, number>> = {};

  /** Counts `count` checks made by `rule`, whether they passed or not. */
  checked(rule: RuleName, count = 1): void {
    this.checksByRule[rule] = (this.checksByRule[rule] ?? 0) + count;
  }

  fail(rule: RuleName, table: string | null, message: string): void {
    this.findings.push({ rule, table, message });
  }

  skip(rule: RuleName, reason: string): void {
    this.skipped.push({ rule, reason });
  }

  report(): ValidationReport {
    const checks = Object.values(this.checksByRule).reduce((sum, n) => sum + n, 0);
    return {
      ok: this.findings.length === 0,
      findings: this.findings,
      checks,
      checksByRule: this.checksByRule,
      skipped: this.skipped,
    };
  }
}
