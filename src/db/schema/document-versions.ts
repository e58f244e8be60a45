// Document versions (migration 0022): the title and text of every save of a document,
// numbered from 1, written by the document service in the transaction of the save.
import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { fk, timestamps, uniqueKey } from './common.js';
import { tenantColumns, tenantKeys } from './organizations.js';
import { documents } from './work.js';

export const documentVersions = pgTable(
  'document_versions',
  {
    ...tenantColumns,
    documentId: uuid('document_id').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    /** Who saved it; no reference to members, so it stays when they leave. */
    authorId: uuid('author_id'),
    /** The version a restore copied. */
    restoredFrom: integer('restored_from'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.documentId, t.version),
    fk([t.organizationId, t.documentId], [documents.organizationId, documents.id], 'cascade'),
  ],
);
