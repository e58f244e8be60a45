import { displayName } from '../validate/catalog.js';
import type { CitusRuleLog } from './findings.js';
import type { Placement } from './placement.js';
import type { ShardCatalog } from './shard-catalog.js';

/**
 * What runs on a shard: policies, triggers and the functions they call.
 * - citus-policy-subquery: Citus refuses a policy with a subquery on a distributed table.
 * - citus-trigger: a trigger function that reads tg_table_name gets the shard's name on a
 *   worker (tasks_102966); on a cluster, triggers need citus.enable_unsafe_triggers.
 * - citus-shard-function: a function a shard calls that reads our tables runs a distributed
 *   query from a shard, which Citus allows only with citus.allow_nested_distributed_execution;
 *   app.prepare_functions_for_citus attaches it to PL/pgSQL trigger, SECURITY DEFINER and
 *   STABLE functions of schema app, so any other such function is a finding.
 */
export function checkShardRules(shard: ShardCatalog, log: CitusRuleLog): void {
  for (const policy of shard.policies) {
    log.checked('citus-policy-subquery');
    if (policy.hasSubquery) {
      log.fail(
        'citus-policy-subquery',
        policy.table,
        `policy ${policy.name} holds a subquery, which Citus refuses on a distributed table; call a SECURITY DEFINER function instead (as 0014's membership checks do)`,
      );
    }
  }
  const citus = shard.citusTables !== null;
  for (const fn of shard.functions) {
    log.checked('citus-trigger');
    if (fn.namesShard) {
      log.fail('citus-trigger', fn.signature, `${fn.why}: reads tg_table_name, which on a worker is the shard's name; pass it through app.logical_table_name`);
    }
    if (!fn.readsTables) continue;
    log.checked('citus-shard-function');
    if (fn.language !== 'plpgsql') {
      log.fail('citus-shard-function', fn.signature, `${fn.why}: a ${fn.language} function that reads tables; make it PL/pgSQL so Citus can plan its queries`);
    } else if (citus ? !fn.prepared : !fn.preparable) {
      const fix = citus ? 'run tenantry db migrate (it calls app.prepare_functions_for_citus)' : 'make it a STABLE, SECURITY DEFINER or trigger PL/pgSQL function of schema app';
      log.fail(
        'citus-shard-function',
        fn.signature,
        `${fn.why}: reads tables from a shard without citus.allow_nested_distributed_execution, so Citus refuses it ("cannot execute a distributed query from a query on a shard"); ${fix}`,
      );
    }
  }
}

/**
 * citus-placement, on a database already distributed: every table is what the plan makes of it,
 * and (citus-trigger) the database lets Citus run their triggers.
 * A plain or Citus local table is one a later migration added (run tenantry db distribute); a
 * table with organization_id must be distributed by it, co-located with organizations, never a
 * reference table.
 */
export function checkPlacement(shard: ShardCatalog, placements: Map<string, Placement>, log: CitusRuleLog): void {
  const live = shard.citusTables;
  if (!live || ![...placements.keys()].some((oid) => live.has(oid))) return;
  log.checked('citus-trigger');
  if (shard.unsafeTriggers === false && shard.triggeredTables.length > 0) {
    log.fail('citus-trigger', '(database)', 'citus.enable_unsafe_triggers is off, so Citus refuses the triggers of distributed tables; tenantry db distribute sets it');
  }
  for (const [oid, placement] of placements) {
    if (placement.kind === 'local') continue;
    log.checked('citus-placement');
    const table = displayName(placement.table);
    const actual = live.get(oid);
    const planned = placement.kind === 'distributed' ? `distributed by ${placement.column}` : 'a reference table';
    if (!actual) {
      log.fail('citus-placement', table, `a plain table on the coordinator, not ${planned}: run tenantry db distribute`);
    } else if (actual.type === 'local') {
      log.fail('citus-placement', table, `a Citus local table (kept on the coordinator), not ${planned}: run tenantry db distribute`);
    } else if (placement.kind === 'distributed' && (actual.type !== 'distributed' || actual.column !== placement.column || !actual.colocatedWithRoot)) {
      const what = actual.type === 'reference' ? 'a reference table' : `distributed by ${actual.column}${actual.colocatedWithRoot ? '' : ', not co-located with organizations'}`;
      log.fail('citus-placement', table, `${what}; a table with ${placement.column} must be ${planned}, co-located with organizations`);
    } else if (placement.kind === 'reference' && actual.type !== 'reference') {
      log.fail('citus-placement', table, `distributed by ${actual.column}; a platform table must be a reference table`);
    }
  }
}
