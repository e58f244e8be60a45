import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireLiveProject } from '../shared/live-project.js';
import { requireAccessVia } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import type { Tx } from '../../db/tenant-context.js';
import * as repository from './repository.js';
import type { CreateDocumentInput, DocumentListFilter, UpdateDocumentInput } from './schemas.js';
import * as versions from './versions-repository.js';

/**
 * A URL-safe slug from a title: accents dropped, anything else but letters and digits turned
 * into single hyphens. "Déjà vu: Q3 plan!" becomes "deja-vu-q3-plan".
 */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 120)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'untitled' : slug;
}

export async function listDocuments(call: ServiceCall, projectId: string, filter: DocumentListFilter) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId);
    return repository.listDocuments(tx, organizationId, projectId, {
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.q ? { query: filter.q } : {}),
      afterId,
      limit: filter.limit,
    });
  });
  return toPage(rows, filter.limit);
}

/**
 * A new draft, saved as version 1; a slug already used in the project is a 409 (from the
 * unique constraint).
 */
export async function createDocument(call: ServiceCall, projectId: string, input: CreateDocumentInput) {
  requirePermission(call, 'work:write');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId, 'write');
    const document = await repository.insertDocument(tx, organizationId, projectId, call.scope.userId, {
      ...input,
      slug: input.slug ?? slugFromTitle(input.title),
    });
    await versions.insertVersion(tx, organizationId, document.id, { title: document.title, content: document.content, authorId: call.scope.userId });
    return document;
  });
}

export async function getDocument(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', id, 'read');
    return found(await repository.findDocument(tx, call.scope.organizationId, id), 'document');
  });
}

/**
 * Every save makes the next version, in the transaction of the save. Edits keep the slug
 * unless one is given, so links to the document keep working.
 */
export async function updateDocument(call: ServiceCall, id: string, input: UpdateDocumentInput) {
  requirePermission(call, 'work:write');
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', id, 'write');
    return saveDocument(tx, call, id, input);
  });
}

/** Writes a save and its version; `restoredFrom` marks a version made by a restore. */
export async function saveDocument(tx: Tx, call: ServiceCall, id: string, changes: UpdateDocumentInput, restoredFrom?: number) {
  const organizationId = call.scope.organizationId;
  const document = found(await repository.updateDocument(tx, organizationId, id, changes), 'document');
  await versions.insertVersion(tx, organizationId, id, {
    title: document.title,
    content: document.content,
    authorId: call.scope.userId,
    ...(restoredFrom === undefined ? {} : { restoredFrom }),
  });
  return document;
}

/** Publishing a published document keeps its first publication date. */
export async function publishDocument(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', id, 'write');
    const document = found(await repository.findDocument(tx, organizationId, id), 'document');
    if (document.status === 'published') return document;
    return found(await repository.updateDocument(tx, organizationId, id, { status: 'published', publishedAt: new Date() }), 'document');
  });
}

export async function archiveDocument(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  const changes = { status: 'archived' as const };
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', id, 'write');
    return found(await repository.updateDocument(tx, call.scope.organizationId, id, changes), 'document');
  });
}

/** Soft delete: the row stays for the audit trail, hidden from every read. */
export async function deleteDocument(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const changes = { deletedAt: new Date() };
  await inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', id, 'write');
    found(await repository.updateDocument(tx, call.scope.organizationId, id, changes), 'document');
  });
}
