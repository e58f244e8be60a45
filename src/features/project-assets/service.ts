import { v7 as uuidv7 } from 'uuid';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type BlobStore, storageKeyOf } from '../../storage/blob-store.js';
import { measureBody } from '../../storage/measured-body.js';
import { assertWithinStorageLimit } from '../plans/storage-limit.js';
import { requireLiveProject } from '../shared/live-project.js';
import type { Tx } from '../../db/tenant-context.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import { taskLookup } from '../tasks/lookup.js';
import * as repository from './repository.js';
import type { AssetListFilter } from './schemas.js';

export type AssetStorage = { blobStore: BlobStore; maxUploadBytes: number };

export type Upload = {
  fileName: string;
  /** Id or reference (ACME-7) of the task the file is attached to. */
  taskId?: string;
  contentType: string;
  /** Content-Length when the client sent one: checked up front, and the stream is counted anyway. */
  declaredBytes: number | null;
  body: ReadableStream<Uint8Array> | null;
};

const tooLarge = (limit: number) => new TenantryError('payload_too_large', `files are limited to ${limit} bytes`, { limit });

/**
 * The id of the live task of this project that `taskId` names. Anything else is the caller's
 * mistake in that field (400 naming it), whether the task is missing, deleted, in another
 * project or in another tenant, so the answer tells nothing about other tenants.
 */
async function requireTaskOfProject(tx: Tx, organizationId: string, projectId: string, taskId: string): Promise<string> {
  const id = await repository.findTaskOfProject(tx, organizationId, projectId, taskLookup(taskId));
  if (id === undefined) {
    throw new TenantryError('validation_failed', 'invalid query: taskId', [{ path: 'taskId', message: 'no live task of this project has this id or reference' }]);
  }
  return id;
}

export async function listAssets(call: ServiceCall, projectId: string, filter: AssetListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId);
    const taskId = filter.taskId === undefined ? undefined : await requireTaskOfProject(tx, organizationId, projectId, filter.taskId);
    return repository.listAssets(tx, organizationId, projectId, { afterId, limit: filter.limit, taskId });
  });
  return toPage(rows, filter.limit);
}

export async function getAsset(call: ServiceCall, projectId: string, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId);
    return found(await repository.findAsset(tx, call.scope.organizationId, projectId, id), 'asset');
  });
}

/**
 * Receives the bytes into the blob store (never into memory), then records the metadata in one
 * transaction that re-checks the project and the plan's storage limit. If that transaction
 * fails, the bytes are removed again.
 */
export async function uploadAsset(call: ServiceCall, storage: AssetStorage, projectId: string, upload: Upload) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  if (upload.declaredBytes !== null && upload.declaredBytes > storage.maxUploadBytes) throw tooLarge(storage.maxUploadBytes);
  // Refuse early what will be refused anyway, before receiving a single byte.
  await inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId, 'write');
    if (upload.taskId !== undefined) await requireTaskOfProject(tx, organizationId, projectId, upload.taskId);
    if (upload.declaredBytes !== null) await assertWithinStorageLimit(tx, organizationId, upload.declaredBytes);
  });

  const id = uuidv7();
  const key = { organizationId, assetId: id };
  const body = measureBody(upload.body, storage.maxUploadBytes);
  await storage.blobStore.put(key, body.chunks);
  const { sizeBytes, sha256 } = body.summary();
  try {
    return await inTenant(call, async (tx) => {
      await requireLiveProject(tx, call.scope, projectId, 'write');
      // Again: the task may have been deleted while the bytes arrived.
      const taskId = upload.taskId === undefined ? null : await requireTaskOfProject(tx, organizationId, projectId, upload.taskId);
      await assertWithinStorageLimit(tx, organizationId, sizeBytes);
      return repository.insertAsset(tx, organizationId, {
        id,
        projectId,
        taskId,
        uploadedById: userId,
        fileName: upload.fileName,
        contentType: upload.contentType,
        sizeBytes,
        checksumSha256: sha256,
        storageKey: storageKeyOf(key),
      });
    });
  } catch (error) {
    await storage.blobStore.delete(key);
    throw error;
  }
}

/** The metadata and a stream of the bytes. */
export async function downloadAsset(call: ServiceCall, storage: AssetStorage, projectId: string, id: string) {
  const asset = await getAsset(call, projectId, id);
  const stream = await storage.blobStore.get({ organizationId: asset.organizationId, assetId: asset.id });
  if (!stream) throw new TenantryError('not_found', "the asset's bytes are missing from storage");
  return { asset, stream };
}

/** Soft-deletes the metadata, then removes the bytes once that has committed. */
export async function deleteAsset(call: ServiceCall, storage: AssetStorage, projectId: string, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  const asset = await inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId, 'write');
    return found(await repository.softDeleteAsset(tx, organizationId, projectId, id), 'asset');
  });
  await storage.blobStore.delete({ organizationId: asset.organizationId, assetId: asset.id });
}
