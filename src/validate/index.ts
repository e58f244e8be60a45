import type { Database } from '../db/connection.js';
import { loadCatalog } from './catalog.js';
import { RULES, RuleLog, type ValidationReport } from './findings.js';
import { checkIntegrity } from './integrity-rules.js';
import { checkPrivileges } from './privilege-rules.js';
import { probeIsolation } from './probe.js';
import { checkRowLevelSecurity } from './rls-rules.js';
import { checkSchema } from './schema-rules.js';

export { RULES, type Finding, type RuleName, type SkippedCheck, type ValidationReport } from './findings.js';

/**
 * Proves tenant isolation and data integrity: catalog rules (RLS, policies, indexes, views,
 * definer functions, the app role, audit triggers), row counts that break the model, and a
 * live probe as tenantry_app. Reads only: every transaction it opens is rolled back.
 *
 * @example
 * const report = await validateDatabase(db);
 * if (!report.ok) for (const f of report.findings) console.error(`[${f.rule}] ${f.table}: ${f.message}`);
 */
export async function validateDatabase(db: Database): Promise<ValidationReport> {
  return db.session(async (session) => {
    const log = new RuleLog();
    const catalog = await loadCatalog(session);
    await checkRowLevelSecurity(session, catalog, log);
    await checkSchema(session, catalog, log);
    await checkPrivileges(session, log);
    await checkIntegrity(session, catalog, log);
    await probeIsolation(session, catalog.tables, log);
    const report = log.report();
    report.findings.sort(
      (a, b) => ruleOrder(a.rule) - ruleOrder(b.rule) || (a.table ?? '').localeCompare(b.table ?? ''),
    );
    return report;
  });
}

function ruleOrder(rule: string): number {
  return RULES.findIndex((known) => known === rule);
}
