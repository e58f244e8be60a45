import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Database, SqlSession } from '../db/connection.js';
import { ROLES } from '../db/roles.js';
import { TenantryError } from '../errors.js';
import { type PlannedTable, readTransferPlan } from './catalog.js';
import { FORMAT_NAME, FORMAT_VERSION, type TableEntry, bodyLine, headerLine, trailerLine, writeLines } from './format.js';
import { type ExportKeys, wrapForTransport } from './keys.js';
import { countSql, readSchemaVersion, selectRowsSql, useStableRendering } from './statements.js';

export type ExportOptions = {
  /** The organization's id or slug. */
  organization: string;
  /** A file path (`.gz` for gzip) or a stream such as stdout, which is left open. */
  out: string | Writable;
  keys?: ExportKeys;
  onTable?: (progress: { table: string; rows: number; durationMs: number }) => void;
};

export type ExportSummary = {
  organization: { id: string; slug: string; name: string };
  schemaVersion: string;
  tables: TableEntry[];
  rows: number;
  durationMs: number;
};

/** Rows fetched from the cursor per round trip: large enough to stream fast, small enough to bound memory. */
const FETCH_SIZE = 1000;

type OrganizationRow = { id: string; slug: string; name: string; wrapped_data_key: Uint8Array | null };

/**
 * Writes every row of one organization, and the platform rows they need, to `out` in the
 * tenant export format (docs/tenant-export-format.md). One REPEATABLE READ read-only
 * transaction, so the counts in the header and the rows in the body are one consistent
 * snapshot; rows stream through a cursor, never a whole table in memory.
 *
 * @example
 * await exportTenant(db, { organization: 'acme', out: 'acme.ndjson.gz', keys: { sourceMasterKey, transport } });
 */
export async function exportTenant(db: Database, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  return db.session(async (session) => {
    await session.query('begin isolation level repeatable read read only');
    try {
      await useStableRendering(session);
      const schemaVersion = await readSchemaVersion(session);
      if (!schemaVersion) {
        throw new TenantryError('refused', `the database at ${db.location} has no migrations applied (run: tenantry db migrate)`);
      }
      // The platform role sees every tenant (BYPASSRLS) and may write nothing it was not granted.
      await session.query(`select set_config('role', $1, true)`, [ROLES.platform]);
      const organization = await findOrganization(session, options.organization, db.location);
      const dataKey = wrapForTransport(
        { slug: organization.slug, wrappedDataKey: organization.wrapped_data_key && Buffer.from(organization.wrapped_data_key) },
        options.keys,
      );
      const plan = await readTransferPlan(session);
      const tables: TableEntry[] = [];
      for (const table of plan.tables) {
        const [count] = await session.query<{ n: number }>(countSql(table), [organization.id]);
        tables.push({ name: table.name, kind: table.kind, columns: table.columns.map((c) => c.name), rows: count?.n ?? 0 });
      }
      const { id, slug, name } = organization;
      const header = headerLine({
        format: FORMAT_NAME,
        format_version: FORMAT_VERSION,
        schema_version: schemaVersion,
        organization: { id, slug, name },
        exported_at: new Date().toISOString(),
        data_key: dataKey,
        tables,
      });
      await writeLines(options.out, exportLines(session, plan.tables, tables, organization.id, header, options.onTable));
      await session.query('commit');
      return {
        organization: { id, slug, name },
        schemaVersion,
        tables,
        rows: tables.reduce((sum, t) => sum + t.rows, 0),
        durationMs: performance.now() - started,
      };
    } catch (error) {
      await session.query('rollback').catch(() => undefined);
      throw error;
    }
  });
}

async function findOrganization(session: SqlSession, idOrSlug: string, location: string): Promise<OrganizationRow> {
  const rows = await session.query<OrganizationRow>(
    `select id::text as id, slug, name, wrapped_data_key from public.organizations
      where id::text = lower($1) or slug = $1 order by (slug = $1) desc limit 1`,
    [idOrSlug],
  );
  const [organization] = rows;
  if (!organization) throw new TenantryError('not_found', `no organization with id or slug "${idOrSlug}" in ${location}`);
  return organization;
}

/** Header, body (table by table through a cursor) and trailer, hashing the body as it goes. */
async function* exportLines(
  session: SqlSession,
  plan: PlannedTable[],
  counts: TableEntry[],
  organizationId: string,
  header: string,
  onTable: ExportOptions['onTable'],
): AsyncGenerator<string> {
  yield header;
  const hash = createHash('sha256');
  let bodyLines = 0;
  for (const [index, table] of plan.entries()) {
    const started = performance.now();
    await session.query(`declare tenant_export no scroll cursor for ${selectRowsSql(table)}`, [organizationId]);
    let rows = 0;
    for (;;) {
      const batch = await session.query<{ line: string }>(`fetch forward ${FETCH_SIZE} from tenant_export`);
      if (batch.length === 0) break;
      let chunk = '';
      for (const { line } of batch) chunk += bodyLine(table.name, line);
      hash.update(chunk);
      rows += batch.length;
      yield chunk;
    }
    await session.query('close tenant_export');
    if (rows !== counts[index]?.rows) {
      throw new TenantryError('internal', `${table.name}: counted ${counts[index]?.rows} rows but read ${rows} in the same snapshot`);
    }
    bodyLines += rows;
    onTable?.({ table: table.name, rows, durationMs: performance.now() - started });
  }
  yield trailerLine({ body_lines: bodyLines, body_sha256: hash.digest('hex') });
}
