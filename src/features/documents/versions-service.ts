import { createTwoFilesPatch, diffLines } from 'diff';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireAccessVia } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as documents from './repository.js';
import { saveDocument } from './service.js';
import * as repository from './versions-repository.js';
import type { VersionDiffInput, VersionListInput } from './versions-schemas.js';

/**
 * How long a comparison may take. The line diff is quadratic in the worst case, and a
 * document may hold 500,000 characters; past this the request is refused rather than
 * holding a core.
 */
const DIFF_TIMEOUT_MS = 2_000;

/** A document's versions, newest first. A deleted or another tenant's document is a 404. */
export async function listVersions(call: ServiceCall, documentId: string, page: VersionListInput) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  const afterId = decodeCursor(page.cursor);
  const rows = await inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', documentId, 'read');
    found(await documents.findDocument(tx, organizationId, documentId), 'document');
    const beforeVersion = afterId ? found(await repository.versionNumberOf(tx, organizationId, documentId, afterId), 'version') : null;
    return repository.listVersions(tx, organizationId, documentId, { beforeVersion, limit: page.limit });
  });
  return toPage(rows, page.limit);
}

export async function getVersion(call: ServiceCall, documentId: string, version: number) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', documentId, 'read');
    found(await documents.findDocument(tx, organizationId, documentId), 'document');
    return found(await repository.findVersion(tx, organizationId, documentId, version), 'version');
  });
}

/**
 * What changed from one version to another: the title, the text line by line, and a unified
 * diff. With no versions named, the newest save against the one before it.
 */
export async function diffVersions(call: ServiceCall, documentId: string, range: VersionDiffInput) {
  requirePermission(call, 'read');
  const organizationId = call.scope.organizationId;
  const { older, newer } = await inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', documentId, 'read');
    found(await documents.findDocument(tx, organizationId, documentId), 'document');
    const to = range.to ?? found(await repository.latestVersionNumber(tx, organizationId, documentId), 'version');
    const from = range.from ?? Math.max(1, to - 1);
    const version = async (n: number) => found(await repository.findVersion(tx, organizationId, documentId, n), 'version');
    return { older: await version(from), newer: await version(to) };
  });
  const [from, to] = [older.version, newer.version];
  const tooSlow = () => new TenantryError('refused', `versions ${from} and ${to} differ too much to compare within ${DIFF_TIMEOUT_MS / 1000} s`);
  const changes = diffLines(older.content, newer.content, { timeout: DIFF_TIMEOUT_MS });
  const patch = createTwoFilesPatch(`version ${from}`, `version ${to}`, older.content, newer.content, undefined, undefined, { timeout: DIFF_TIMEOUT_MS });
  if (!changes || patch === undefined) throw tooSlow();
  return {
    from,
    to,
    title: { from: older.title, to: newer.title, changed: older.title !== newer.title },
    parts: changes.map((change) => ({
      kind: change.added ? ('added' as const) : change.removed ? ('removed' as const) : ('unchanged' as const),
      value: change.value,
      lines: change.count,
    })),
    patch,
  };
}

/**
 * Puts a version's title and text back as a new save, so the history only grows: restoring
 * version 2 of a document at version 5 makes version 6, marked as restored from 2.
 */
export async function restoreVersion(call: ServiceCall, documentId: string, version: number) {
  requirePermission(call, 'work:write');
  const organizationId = call.scope.organizationId;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'document', documentId, 'write');
    const earlier = found(await repository.findVersion(tx, organizationId, documentId, version), 'version');
    return saveDocument(tx, call, documentId, { title: earlier.title, content: earlier.content }, version);
  });
}
