import type { Database } from '../db/connection.js';
import { loadCitusCatalog } from './catalog.js';
import { type CitusReport, DEFAULT_REFERENCE_LIMITS, type ReferenceLimits } from './findings.js';
import { placeTables } from './placement.js';
import { assessCitusReadiness } from './readiness.js';

export { CITUS_RULES, DEFAULT_REFERENCE_LIMITS, type CitusReport, type CitusRuleName, type ReferenceLimits } from './findings.js';
export { type DistributeOutcome, SEQUENTIAL_MODE, distribute, distributionScript } from './distribute.js';
export type { DistributionStep } from './plan.js';

/**
 * Whether the schema can be distributed by tenant on Citus, from the catalog alone: works on
 * any PostgreSQL (and PGlite), with or without the extension, and changes nothing.
 *
 * @example
 * const report = await checkCitusReadiness(db);
 * for (const f of report.findings) console.error(`[${f.rule}] ${f.table}: ${f.message}`);
 */
export async function checkCitusReadiness(
  db: Database,
  limits: ReferenceLimits = DEFAULT_REFERENCE_LIMITS,
): Promise<CitusReport> {
  return db.session(async (session) => {
    const catalog = await loadCitusCatalog(session);
    return assessCitusReadiness(catalog, placeTables(catalog), limits, { live: true });
  });
}
