import type { SqlSession } from '../db/connection.js';
import { type Catalog, displayName } from './catalog.js';
import type { RuleLog } from './findings.js';

/** Tables whose tenant column leads a valid, non-partial index. */
const TENANT_INDEXED_SQL = `
  select t.oid::text as oid
    from unnest($1::text[]::oid[], $2::text[]) as t(oid, tenant_column)
   where exists (
     select from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where i.indrelid = t.oid and a.attname = t.tenant_column and i.indisvalid and i.indpred is null)`;

/** Triggers on the given tables that call app.audit_row_change(), whatever their name. */
const AUDIT_TRIGGERS_SQL = `
  select t.tgrelid::text as oid, t.tgtype::int as type, t.tgenabled::text as enabled
    from pg_trigger t
   where t.tgrelid = any($1::text[]::oid[]) and not t.tgisinternal
     and t.tgfoid = to_regprocedure('app.audit_row_change()')`;

/** pg_trigger.tgtype bits (see PostgreSQL's trigger.h). */
const TRIGGER_ROW = 1;
const TRIGGER_BEFORE = 2;
const TRIGGER_EVENTS = { INSERT: 4, DELETE: 8, UPDATE: 16 } as const;

/** tgenabled: 'O' fires in normal sessions, 'A' always; 'R' only on replicas, 'D' never. */
const FIRES_NORMALLY = new Set(['O', 'A']);

/**
 * The trail itself (auditing audit_logs would write a row for every row it writes);
 * task_sprint_states and document_versions, histories derived from tasks and documents whose
 * every change is already audited; notifications, derived from audited changes too (a storm of
 * a thousand would write a thousand trail rows); live_events, a few minutes' transport
 * buffer for the event stream; webhook_deliveries, a delivery log of audited changes
 * (every retry would otherwise add a trail row); webhook_outbox, the events of audited changes
 * waiting for their deliveries (a trail row would double the write's cost); and ai_token_usage, the monthly counter of
 * audited AI generations (every call would otherwise add two trail rows).
 */
const UNAUDITED = new Set([
  'public.audit_logs',
  'public.task_sprint_states',
  'public.document_versions',
  'public.notifications',
  'public.live_events',
  'public.webhook_deliveries',
  'public.webhook_outbox',
  'public.ai_token_usage',
]);

/** tenant-index, fk-index and audit-trigger. */
export async function checkSchema(session: SqlSession, catalog: Catalog, log: RuleLog): Promise<void> {
  const { tables, foreignKeys } = catalog;

  const indexed = new Set(
    (
      await session.query<{ oid: string }>(TENANT_INDEXED_SQL, [
        tables.map((t) => t.oid),
        tables.map((t) => t.tenantColumn),
      ])
    ).map((row) => row.oid),
  );
  for (const table of tables) {
    log.checked('tenant-index');
    if (!indexed.has(table.oid)) {
      log.fail('tenant-index', displayName(table), `no index leads with ${table.tenantColumn}`);
    }
  }

  for (const fk of foreignKeys) {
    log.checked('fk-index');
    if (!fk.indexed) {
      log.fail(
        'fk-index',
        displayName(fk.child),
        `foreign key ${fk.name} (${fk.columns.map((c) => c.child).join(', ')}) is not the leading columns of any index`,
      );
    }
  }

  const audited = tables.filter((t) => !UNAUDITED.has(`${t.schema}.${t.name}`));
  const triggers = await session.query<{ oid: string; type: number; enabled: string }>(AUDIT_TRIGGERS_SQL, [
    audited.map((t) => t.oid),
  ]);
  for (const table of audited) {
    log.checked('audit-trigger');
    const problem = auditProblem(triggers.filter((t) => t.oid === table.oid));
    if (problem) log.fail('audit-trigger', displayName(table), problem);
  }
}

function auditProblem(triggers: { type: number; enabled: string }[]): string | null {
  if (triggers.length === 0) return 'no trigger calls app.audit_row_change()';
  const live = triggers.filter(
    (t) => FIRES_NORMALLY.has(t.enabled) && (t.type & TRIGGER_ROW) !== 0 && (t.type & TRIGGER_BEFORE) === 0,
  );
  if (live.length === 0) return 'the app.audit_row_change() trigger is disabled, or not an AFTER … FOR EACH ROW trigger';
  const missing = Object.entries(TRIGGER_EVENTS)
    .filter(([, bit]) => !live.some((t) => (t.type & bit) !== 0))
    .map(([event]) => event);
  return missing.length > 0 ? `the app.audit_row_change() trigger does not fire on ${missing.join(', ')}` : null;
}
