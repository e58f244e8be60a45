import type { Finding } from '../validate/index.js';

/** Every rule the Citus readiness check applies; a finding or note always names one of them. */
export const CITUS_RULES = [
  'citus-primary-key',
  'citus-unique',
  'citus-foreign-key',
  'citus-foreign-key-action',
  'citus-reference-size',
  'citus-shared-table',
  'citus-policy-subquery',
  'citus-trigger',
  'citus-shard-function',
  'citus-placement',
] as const;

export type CitusRuleName = (typeof CITUS_RULES)[number];

export type CitusReport = {
  ok: boolean;
  /** What stops `tenantry db distribute`: each one would make a Citus call fail, or make a reference table too costly. */
  findings: Finding[];
  /** Decisions the plan makes that an operator should know about; never a failure. */
  notes: Finding[];
  /** How many individual checks ran (one per rule and object examined). */
  checks: number;
  checksByRule: Partial<Record<CitusRuleName, number>>;
};

/** Above either limit a table is too big to copy to every node (see `citus-reference-size`). */
export type ReferenceLimits = { maxRows: number; maxBytes: number };

export const DEFAULT_REFERENCE_LIMITS: ReferenceLimits = { maxRows: 100_000, maxBytes: 100 * 1024 * 1024 };

/** What each rule writes into while it runs; `readiness.ts` turns it into the report. */
export class CitusRuleLog {
  private readonly findings: Finding[] = [];
  private readonly notes: Finding[] = [];
  private readonly checksByRule: Partial<Record<CitusRuleName, number>> = {};

  checked(rule: CitusRuleName, count = 1): void {
    this.checksByRule[rule] = (this.checksByRule[rule] ?? 0) + count;
  }

  fail(rule: CitusRuleName, table: string, message: string): void {
    this.findings.push({ rule, table, message });
  }

  note(rule: CitusRuleName, table: string, message: string): void {
    this.notes.push({ rule, table, message });
  }

  report(): CitusReport {
    return {
      ok: this.findings.length === 0,
      findings: sortByRule(this.findings),
      notes: sortByRule(this.notes),
      checks: Object.values(this.checksByRule).reduce((sum, n) => sum + n, 0),
      checksByRule: this.checksByRule,
    };
  }
}

function sortByRule(findings: Finding[]): Finding[] {
  const order = (rule: string) => CITUS_RULES.findIndex((known) => known === rule);
  return findings.sort((a, b) => order(a.rule) - order(b.rule) || (a.table ?? '').localeCompare(b.table ?? ''));
}
