import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';
import type { RestorableResource } from './resources.js';
import { rowsOf } from '../../db/rows.js';

export type DeletedRow = {
  /** The day it was deleted, `YYYY-MM-DD`; null when the row is live. */
  deletedOn: string | null;
  /** Deleted longer ago than the retention period. */
  expired: boolean;
  values: Record<string, unknown>;
};

/** The driver's rows of a raw statement (node-postgres and PGlite both answer `{ rows }`). */
/** One row of the resource's table in this organization, deleted or not; RLS checks the tenant again underneath. */
export async function findRow(
  tx: Tx,
  organizationId: string,
  resource: RestorableResource,
  id: string,
  retentionDays: number,
): Promise<DeletedRow | undefined> {
  const [row] = rowsOf<{ deleted_on: string | null; expired: boolean | null; row_values: Record<string, unknown> }>(
    await tx.execute(sql`
      select t.deleted_at::date::text as deleted_on,
             t.deleted_at < now() - make_interval(days => ${retentionDays}) as expired,
             to_jsonb(t) - 'search_vector' as row_values
        from ${sql.identifier(resource.table)} t
       where t.organization_id = ${organizationId} and t.id = ${id}`),
  );
  return row && { deletedOn: row.deleted_on, expired: row.expired === true, values: row.row_values };
}

/** Whether the parent row exists in this organization and is not soft-deleted. */
export async function isLive(tx: Tx, organizationId: string, table: RestorableResource['table'], id: unknown): Promise<boolean> {
  const rows = rowsOf<unknown>(
    await tx.execute(sql`
      select 1 from ${sql.identifier(table)} t
       where t.organization_id = ${organizationId} and t.id = ${String(id)} and t.deleted_at is null`),
  );
  return rows.length > 0;
}

/** Whether a live row other than `id` already holds `values` (column → value) in this organization. */
export async function liveRowHolds(
  tx: Tx,
  organizationId: string,
  resource: RestorableResource,
  id: string,
  values: [column: string, value: unknown][],
): Promise<boolean> {
  const matches: SQL[] = values.map(([column, value]) => sql`t.${sql.identifier(column)} = ${String(value)}`);
  const rows = rowsOf<unknown>(
    await tx.execute(sql`
      select 1 from ${sql.identifier(resource.table)} t
       where t.organization_id = ${organizationId} and t.id <> ${id} and t.deleted_at is null
         and ${sql.join(matches, sql` and `)}
       limit 1`),
  );
  return rows.length > 0;
}

/** Clears the soft delete; the audit trigger records the change with the acting admin. */
export async function undelete(tx: Tx, organizationId: string, resource: RestorableResource, id: string): Promise<void> {
  await tx.execute(sql`
    update ${sql.identifier(resource.table)} set deleted_at = null
     where organization_id = ${organizationId} and id = ${id} and deleted_at is not null`);
}
