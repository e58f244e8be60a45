import type { Database, SqlSession } from '../db/connection.js';
import { TenantryError } from '../errors.js';
import { loadCitusCatalog } from './catalog.js';
import type { CitusReport, ReferenceLimits } from './findings.js';
import { type DistributionStep, planDistribution } from './plan.js';
import { placeTables } from './placement.js';
import { assessCitusReadiness } from './readiness.js';

/**
 * Citus runs a table's shard work over parallel connections, and a transaction that has done
 * that may not then write through a foreign key to a reference table (and the other way round).
 * Sequential mode uses one connection per node: slower copies, but the whole plan fits in one
 * transaction, so a failure halfway leaves nothing distributed.
 */
export const SEQUENTIAL_MODE = "set local citus.multi_shard_modify_mode to 'sequential'";

export type DistributeOptions = { dryRun: boolean; limits: ReferenceLimits };

export type DistributeOutcome =
  /** Nothing was read or changed: there is no Citus to distribute with. */
  | { status: 'citus-absent' }
  /** --dry-run: the report and the plan, whether or not Citus is installed. */
  | { status: 'planned'; citusVersion: string | null; report: CitusReport; steps: DistributionStep[] }
  /** Citus is there but the schema is not ready: nothing was changed. */
  | { status: 'refused'; citusVersion: string; report: CitusReport; steps: DistributionStep[] }
  | { status: 'distributed'; citusVersion: string; report: CitusReport; steps: DistributionStep[] };

/**
 * Checks readiness and, when Citus is installed and the check passes, converts every table in
 * one transaction: reference tables, then the tenant tables distributed by organization_id.
 * Refuses (changing nothing) on any readiness finding; `dryRun` only reports and plans.
 *
 * @example
 * const outcome = await distribute(db, { dryRun: true, limits: DEFAULT_REFERENCE_LIMITS });
 * if (outcome.status === 'planned') for (const step of outcome.steps) console.log(`${step.statement};`);
 */
export async function distribute(db: Database, options: DistributeOptions): Promise<DistributeOutcome> {
  return db.session(async (session) => {
    const citusVersion = await installedCitusVersion(session);
    if (!citusVersion && !options.dryRun) return { status: 'citus-absent' };

    // One transaction from the first catalog read to the last call: the plan is made from the
    // schema it is applied to, and a failure rolls every step back.
    await session.exec('begin');
    let committed = false;
    try {
      const catalog = await loadCitusCatalog(session);
      const placements = placeTables(catalog);
      const report = assessCitusReadiness(catalog, placements, options.limits);
      const steps = planDistribution(catalog, placements, citusVersion ? await citusTables(session) : new Set());
      if (options.dryRun || !citusVersion) return { status: 'planned', citusVersion, report, steps };
      if (!report.ok) return { status: 'refused', citusVersion, report, steps };

      await session.query(SEQUENTIAL_MODE);
      for (const step of steps) {
        try {
          await session.query(step.statement);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new TenantryError('refused', `Citus refused ${step.statement}: ${reason}; nothing was changed`);
        }
      }
      await session.exec('commit');
      committed = true;
      return { status: 'distributed', citusVersion, report, steps };
    } finally {
      // A rollback that fails must not hide the error that got us here; the session is discarded then anyway.
      if (!committed) await session.exec('rollback').catch(() => undefined);
    }
  });
}

async function installedCitusVersion(session: SqlSession): Promise<string | null> {
  const [row] = await session.query<{ version: string }>(
    "select extversion as version from pg_extension where extname = 'citus'",
  );
  return row?.version ?? null;
}

/** Tables Citus already manages (a second run after a partial one), by oid. */
async function citusTables(session: SqlSession): Promise<Set<string>> {
  const [metadata] = await session.query<{ present: boolean }>(
    "select to_regclass('pg_catalog.pg_dist_partition') is not null as present",
  );
  if (!metadata?.present) return new Set();
  const rows = await session.query<{ oid: string }>('select logicalrelid::oid::text as oid from pg_catalog.pg_dist_partition');
  return new Set(rows.map((row) => row.oid));
}
