import { sql } from 'drizzle-orm';
import { clearReferences, isClearedParent } from '../db/cleared-references.js';
import type { Database } from '../db/connection.js';
import { withPlatform, withTenant } from '../db/tenant-context.js';
import type { BlobStore } from '../storage/blob-store.js';
import { retentionDays } from './retention.js';
import { rowsOf } from '../db/rows.js';

/**
 * Every soft-deleting table, children before parents, so each row is counted where it was
 * deleted rather than swept away by its parent's cascade. A purged project still takes its
 * remaining rows with it (on delete cascade), and the audit trigger records each one.
 * Organizations are not here: deleting one is already a hard delete.
 */
export const PURGE_ORDER = ['comments', 'tasks', 'epics', 'documents', 'gaps', 'project_assets', 'projects'] as const;
export type PurgeTable = (typeof PURGE_ORDER)[number];

/**
 * Tables whose rows take project files with them (on delete cascade), and the files' column
 * naming them: the purge removes those files' bytes once the rows are gone.
 */
const FILES_OF: Partial<Record<PurgeTable, 'task_id' | 'project_id'>> = { tasks: 'task_id', projects: 'project_id' };

/** Rows per transaction: short transactions keep locks brief on a busy server. */
const BATCH = 500;

/** Audit rows of a purge carry no user (actor_user_id is null) and this request id: the system did it. */
export const PURGE_ACTOR = 'system:purge';

export type PurgeOptions = {
  /** Rows soft-deleted more than this many days ago go; default TENANTRY_RETENTION_DAYS. */
  olderThanDays?: number;
  /** Count what would go, delete nothing. */
  dryRun?: boolean;
  now?: Date;
  onProgress?: (line: string) => void;
  /** Where uploaded files live: the bytes of files purged with their task or project go too. */
  blobStore?: BlobStore;
};

export type PurgeSummary = {
  cutoff: string;
  dryRun: boolean;
  tables: { table: PurgeTable; rows: number }[];
  total: number;
};

/**
 * Removes for good every row soft-deleted before the cutoff, in every tenant, in batches,
 * audited with no user and the request id `system:purge`. Safe to run in several processes at once: each
 * batch skips rows another purge holds.
 *
 * @example
 * const summary = await purgeDeleted(db, { dryRun: true, onProgress: console.log });
 */
export async function purgeDeleted(db: Database, options: PurgeOptions = {}): Promise<PurgeSummary> {
  const days = options.olderThanDays ?? retentionDays();
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * 24 * 60 * 60 * 1000);
  const report = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  report(`${dryRun ? 'Dry run: would purge' : 'Purging'} rows soft-deleted before ${cutoff.toISOString()} (${days} days)`);
  const tables: PurgeSummary['tables'] = [];
  for (const table of PURGE_ORDER) {
    const rows = dryRun ? await countDeleted(db, table, cutoff) : await deleteInBatches(db, table, cutoff, report, options.blobStore);
    report(`  ${table.padEnd(15)} ${String(rows).padStart(8)} ${dryRun ? 'would go' : 'purged'}`);
    tables.push({ table, rows });
  }
  const total = tables.reduce((sum, t) => sum + t.rows, 0);
  report(`${dryRun ? 'Would purge' : 'Purged'} ${total} rows${total > 0 ? ', and with them any rows that belonged to them' : ''}.`);
  return { cutoff: cutoff.toISOString(), dryRun, tables, total };
}

async function countDeleted(db: Database, table: PurgeTable, cutoff: Date): Promise<number> {
  const result = await withPlatform(db, { requestId: PURGE_ACTOR }, (tx) =>
    tx.execute(sql`select count(*)::int as count from ${sql.identifier(table)} where deleted_at < ${cutoff.toISOString()}`),
  );
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0);
}

/**
 * Deletes organization by organization, in that tenant's context: a delete that cascades runs
 * the children's audit trigger as the table owner, which RLS binds to the current tenant.
 */
async function deleteInBatches(db: Database, table: PurgeTable, cutoff: Date, report: (line: string) => void, blobStore?: BlobStore): Promise<number> {
  const organizations = await withPlatform(db, { requestId: PURGE_ACTOR }, async (tx) =>
    rowsOf<{ organization_id: string }>(
      await tx.execute(sql`select distinct organization_id from ${sql.identifier(table)} where deleted_at < ${cutoff.toISOString()}`),
    ),
  );
  const filesColumn = FILES_OF[table];
  let purged = 0;
  for (const { organization_id: organizationId } of organizations) {
    for (;;) {
      const { deleted, files } = await withTenant(db, { organizationId, requestId: PURGE_ACTOR }, async (tx) => {
        const doomed = rowsOf<{ id: string }>(
          await tx.execute(sql`
            select id from ${sql.identifier(table)}
             where organization_id = ${organizationId} and deleted_at < ${cutoff.toISOString()}
             limit ${BATCH}
               for update skip locked`),
        ).map((row) => row.id);
        if (doomed.length === 0) return { deleted: 0, files: [] };
        const ids = sql`(${sql.join(doomed.map((id) => sql`${id}::uuid`), sql`, `)})`;
        // Read before the delete: the cascade takes these rows in the same statement.
        const files = filesColumn
          ? rowsOf<{ id: string }>(
              await tx.execute(sql`select id from project_assets where organization_id = ${organizationId} and ${sql.identifier(filesColumn)} in ${ids}`),
            ).map((row) => row.id)
          : [];
        if (isClearedParent(table)) await clearReferences(tx, organizationId, table, doomed);
        await tx.execute(sql`delete from ${sql.identifier(table)} where organization_id = ${organizationId} and id in ${ids}`);
        return { deleted: doomed.length, files };
      });
      // Only once the rows are gone for good: a failed batch keeps its files whole.
      for (const assetId of files) await blobStore?.delete({ organizationId, assetId });
      purged += deleted;
      if (deleted < BATCH) break;
      report(`  ${table}: ${purged} so far`);
    }
  }
  return purged;
}

