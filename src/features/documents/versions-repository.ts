import { and, desc, eq, lt, max } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { documentVersions, users } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

const author = alias(users, 'author');

const columns = {
  id: documentVersions.id,
  documentId: documentVersions.documentId,
  version: documentVersions.version,
  title: documentVersions.title,
  authorId: documentVersions.authorId,
  restoredFrom: documentVersions.restoredFrom,
  createdAt: documentVersions.createdAt,
};
const full = { ...columns, content: documentVersions.content };
/** A list item names its author, read in the same statement. */
const summary = { ...columns, author: { id: author.id, name: author.name, image: author.image } };

type VersionColumns = { [K in keyof typeof columns]: (typeof documentVersions.$inferSelect)[K] };
export type VersionSummaryRow = VersionColumns & { author: { id: string; name: string; image: string | null } | null };
export type VersionRow = VersionColumns & { content: string };

const ofDocument = (organizationId: string, documentId: string) =>
  and(eq(documentVersions.organizationId, organizationId), eq(documentVersions.documentId, documentId));

/**
 * Appends the next version of a document. Callers have already written the document row in
 * this transaction, so a concurrent save of the same document waits on that row's lock until
 * this one commits, and then reads the number taken here: no two saves get the same version.
 */
export async function insertVersion(
  tx: Tx,
  organizationId: string,
  documentId: string,
  values: { title: string; content: string; authorId: string; restoredFrom?: number },
): Promise<VersionRow> {
  // Read first, then insert: Citus refuses a subquery inside INSERT … VALUES.
  const [latest] = await tx
    .select({ version: max(documentVersions.version) })
    .from(documentVersions)
    .where(ofDocument(organizationId, documentId));
  const [row] = await tx
    .insert(documentVersions)
    .values({ ...values, id: uuidv7(), organizationId, documentId, version: (latest?.version ?? 0) + 1 })
    .returning(full);
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Newest first; `beforeVersion` continues a page. */
export async function listVersions(
  tx: Tx,
  organizationId: string,
  documentId: string,
  page: { beforeVersion: number | null; limit: number },
): Promise<VersionSummaryRow[]> {
  return tx
    .select(summary)
    .from(documentVersions)
    .leftJoin(author, eq(author.id, documentVersions.authorId))
    .where(and(ofDocument(organizationId, documentId), page.beforeVersion ? lt(documentVersions.version, page.beforeVersion) : undefined))
    .orderBy(desc(documentVersions.version))
    .limit(page.limit + 1);
}

export async function findVersion(tx: Tx, organizationId: string, documentId: string, version: number): Promise<VersionRow | undefined> {
  const [row] = await tx
    .select(full)
    .from(documentVersions)
    .where(and(ofDocument(organizationId, documentId), eq(documentVersions.version, version)));
  return row;
}

/** The version a cursor names (by id), for keyset paging by version number. */
export async function versionNumberOf(tx: Tx, organizationId: string, documentId: string, id: string): Promise<number | undefined> {
  const [row] = await tx
    .select({ version: documentVersions.version })
    .from(documentVersions)
    .where(and(ofDocument(organizationId, documentId), eq(documentVersions.id, id)));
  return row?.version;
}

/** The newest version's number; undefined for a document with none (created before versions, and not backfilled). */
export async function latestVersionNumber(tx: Tx, organizationId: string, documentId: string): Promise<number | undefined> {
  const [row] = await tx
    .select({ version: max(documentVersions.version) })
    .from(documentVersions)
    .where(ofDocument(organizationId, documentId));
  return row?.version ?? undefined;
}
