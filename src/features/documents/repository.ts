import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type DocumentStatus, type DocumentType, documents } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

const summary = {
  id: documents.id,
  organizationId: documents.organizationId,
  projectId: documents.projectId,
  title: documents.title,
  slug: documents.slug,
  type: documents.documentType,
  status: documents.status,
  publishedAt: documents.publishedAt,
  creatorId: documents.creatorId,
  metadata: documents.metadata,
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
};
/** Everything the API shows: the search vector and the deletion mark stay inside. */
const full = { ...summary, content: documents.content };

type Row = typeof documents.$inferSelect;
export type DocumentSummaryRow = Omit<Row, 'documentType' | 'content' | 'searchVector' | 'deletedAt'> & { type: DocumentType };
export type DocumentRow = DocumentSummaryRow & { content: string };

/** Live (not soft-deleted) documents of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string) => and(eq(documents.organizationId, organizationId), isNull(documents.deletedAt));

export async function listDocuments(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { type?: DocumentType; status?: DocumentStatus; query?: string; afterId: string | null; limit: number },
): Promise<DocumentSummaryRow[]> {
  return tx
    .select(summary)
    .from(documents)
    .where(
      and(
        live(organizationId),
        eq(documents.projectId, projectId),
        filter.type ? eq(documents.documentType, filter.type) : undefined,
        filter.status ? eq(documents.status, filter.status) : undefined,
        filter.query ? sql`${documents.searchVector} @@ websearch_to_tsquery('english', ${filter.query})` : undefined,
        filter.afterId ? gt(documents.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(documents.id))
    .limit(filter.limit + 1);
}

export async function findDocument(tx: Tx, organizationId: string, id: string): Promise<DocumentRow | undefined> {
  const [row] = await tx.select(full).from(documents).where(and(live(organizationId), eq(documents.id, id)));
  return row;
}

export type DocumentValues = {
  title: string;
  slug: string;
  content?: string | undefined;
  type?: DocumentType | undefined;
  metadata?: Record<string, unknown> | undefined;
};

export async function insertDocument(
  tx: Tx,
  organizationId: string,
  projectId: string,
  creatorId: string,
  { type, ...values }: DocumentValues,
): Promise<DocumentRow> {
  const [row] = await tx
    .insert(documents)
    .values({ ...values, ...(type ? { documentType: type } : {}), id: uuidv7(), organizationId, projectId, creatorId })
    .returning(full);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateDocument(
  tx: Tx,
  organizationId: string,
  id: string,
  { type, ...changes }: Partial<DocumentValues> & { status?: DocumentStatus; publishedAt?: Date; deletedAt?: Date },
): Promise<DocumentRow | undefined> {
  const [row] = await tx
    .update(documents)
    .set({ ...changes, ...(type ? { documentType: type } : {}) })
    .where(and(live(organizationId), eq(documents.id, id)))
    .returning(full);
  return row;
}
