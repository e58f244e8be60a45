import type { Database, SqlSession } from '../db/connection.js';
import { prepareRolesForCitus, quoteIdent } from '../db/roles.js';
import { TenantryError } from '../errors.js';
import { type CitusForeignKey, loadCitusCatalog } from './catalog.js';
import type { CitusReport, ReferenceLimits } from './findings.js';
import { type DistributionStep, keysToRebuild, planDistribution } from './plan.js';
import { placeTables } from './placement.js';
import { assessCitusReadiness } from './readiness.js';

/**
 * Citus runs a table's shard work over parallel connections, and a transaction that has done
 * that may not then write through a foreign key to a reference table (and the other way round).
 * Sequential mode uses one connection per node: slower copies, but the whole plan fits in one
 * transaction, so a failure halfway leaves nothing distributed and a second run starts afresh.
 */
export const SEQUENTIAL_MODE = "set local citus.multi_shard_modify_mode to 'sequential'";

/**
 * Citus refuses to distribute a table that has triggers, and to create or drop one on a Citus
 * table, unless told that the triggers know they run on a shard: ours do (the audit trail names
 * the logical table; functions that read the tenant's rows from a shard are prepared for it by
 * app.prepare_functions_for_citus). Set for the database too, so later migrations can still
 * create and drop triggers.
 */
export const UNSAFE_TRIGGERS = 'set local citus.enable_unsafe_triggers to on';

/**
 * Every statement a plan runs, in order, as the dry run prints them: per table, its own
 * triggers are off while Citus copies its rows into the shards (the audit trail would record
 * the copy as a change, and the shard of audit_logs may not exist yet), then on again; once
 * every table is converted, the coordinator's own copy of the rows (which Citus leaves behind
 * in the table it converted) is truncated, so no stale copy stays. Foreign keys between the
 * tables it distributes are dropped first and added back last (see keysToRebuild).
 */
export function distributionScript(steps: DistributionStep[], database: string, rebuiltKeys: CitusForeignKey[]): string[] {
  const tables = steps.map((step) => step.sqlName);
  return [
    SEQUENTIAL_MODE,
    UNSAFE_TRIGGERS,
    `alter database ${quoteIdent(database)} set citus.enable_unsafe_triggers to on`,
    // The server writes reference tables only through the coordinator. Where workers may write
    // them too, Citus serialises every write by locking the referenced reference tables on the
    // first worker, which needs write rights on them: tenantry_app saving its profile would need
    // them on users.
    `alter database ${quoteIdent(database)} set citus.allow_modifications_from_workers_to_replicated_tables to off`,
    'select app.prepare_functions_for_citus()',
    ...rebuiltKeys.map((fk) => `alter table ${fk.childSqlName} drop constraint ${quoteIdent(fk.name)}`),
    ...steps.flatMap((step) => [`alter table ${step.sqlName} disable trigger user`, step.statement]),
    ...tables.map((table) => `alter table ${table} enable trigger user`),
    ...rebuiltKeys.map((fk) => `alter table ${fk.childSqlName} add constraint ${quoteIdent(fk.name)} ${fk.definition}`),
    ...tables.map((table) => `select truncate_local_data_after_distributing_table(${literal(table)})`),
  ];
}

export type DistributeOptions = { dryRun: boolean; limits: ReferenceLimits };

export type DistributeOutcome =
  /** Nothing was read or changed: there is no Citus to distribute with. */
  | { status: 'citus-absent' }
  /** --dry-run: the report and the plan, whether or not Citus is installed. */
  | { status: 'planned'; citusVersion: string | null; report: CitusReport; steps: DistributionStep[]; script: string[] }
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
      const script = distributionScript(steps, await currentDatabase(session), keysToRebuild(catalog, steps));
      if (options.dryRun || !citusVersion) return { status: 'planned', citusVersion, report, steps, script };
      if (!report.ok) return { status: 'refused', citusVersion, report, steps };

      await prepareRolesForCitus(session);
      for (const statement of script) {
        try {
          await session.query(statement);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new TenantryError('refused', `Citus refused ${statement}: ${reason}; nothing was changed`);
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

async function currentDatabase(session: SqlSession): Promise<string> {
  const [row] = await session.query<{ name: string }>('select current_database() as name');
  if (!row) throw new TenantryError('internal', 'current_database() returned nothing');
  return row.name;
}

/** A SQL string literal. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
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
