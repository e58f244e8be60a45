import { join } from 'node:path';
import { createRoute } from '@hono/zod-openapi';
import { TenantryError } from '../../errors.js';
import { ErrorBody, json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { LocalDiskBlobStore } from '../../storage/local-disk.js';
import { callerOf } from '../shared/service-call.js';
import { AssetListQuery, AssetParams, BinaryBody, ProjectAsset, ProjectAssetPage, ProjectParams, UploadQuery, contentTypePattern } from './schemas.js';
import * as service from './service.js';

const tags = ['project-assets'];
const base = '/orgs/{orgId}/projects/{projectId}/assets';
const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const list = createRoute({
  method: 'get', path: base, tags, summary: "List a project's files",
  request: { params: ProjectParams, query: AssetListQuery },
  responses: { 200: json(ProjectAssetPage, 'A page of file metadata'), ...tenantErrorResponses },
});
const upload = createRoute({
  method: 'post', path: base, tags,
  summary: 'Upload a file as the raw request body (members and up; size and plan storage limits apply)',
  request: {
    params: ProjectParams,
    query: UploadQuery,
    body: { required: true, content: { 'application/octet-stream': { schema: BinaryBody } } },
  },
  responses: { 201: json(ProjectAsset, 'The stored file'), ...tenantErrorResponses, 413: json(ErrorBody, 'The file is larger than allowed') },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: "Get a file's metadata",
  request: { params: AssetParams },
  responses: { 200: json(ProjectAsset, 'The file metadata'), ...tenantErrorResponses },
});
const download = createRoute({
  method: 'get', path: `${base}/{id}/content`, tags, summary: 'Download the file (as an attachment)',
  request: { params: AssetParams },
  responses: { 200: { description: 'The bytes', content: { 'application/octet-stream': { schema: BinaryBody } } }, ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: 'Delete a file (metadata soft-deleted, bytes removed)',
  request: { params: AssetParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 5987). */
function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function contentTypeOf(header: string | undefined): string {
  const value = header?.trim() || 'application/octet-stream';
  if (value.length > 255 || !contentTypePattern.test(value)) {
    throw new TenantryError('validation_failed', 'invalid header: content-type', [{ path: 'content-type', message: 'not a media type' }]);
  }
  return value;
}

function declaredBytesOf(header: string | undefined): number | null {
  if (header === undefined) return null;
  const bytes = Number(header);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

export type ProjectAssetDeps = RouterDeps & {
  /** Defaults to files under `<dataDir>/blobs`. */
  blobStore?: BlobStore;
  /** Largest accepted file; 10 MiB unless set. */
  maxUploadBytes?: number;
};

export function projectAssetRoutes({ db, dataDir, blobStore, maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES }: ProjectAssetDeps) {
  const storage = { blobStore: blobStore ?? new LocalDiskBlobStore(join(dataDir, 'blobs')), maxUploadBytes };
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listAssets(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(upload, async (c) => {
      const asset = await service.uploadAsset(call(c), storage, c.req.valid('param').projectId, {
        ...c.req.valid('query'),
        contentType: contentTypeOf(c.req.header('content-type')),
        declaredBytes: declaredBytesOf(c.req.header('content-length')),
        body: c.req.raw.body,
      });
      return c.json(serialize(asset), 201);
    })
    .openapi(get, async (c) => {
      const { projectId, id } = c.req.valid('param');
      return c.json(serialize(await service.getAsset(call(c), projectId, id)), 200);
    })
    .openapi(download, async (c) => {
      const { projectId, id } = c.req.valid('param');
      const { asset, stream } = await service.downloadAsset(call(c), storage, projectId, id);
      return c.body(stream, 200, {
        'content-type': asset.contentType,
        'content-length': String(asset.sizeBytes),
        'content-disposition': contentDisposition(asset.fileName),
        // The type is the uploader's claim: never let a browser sniff or render it as a page of ours.
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      });
    })
    .openapi(remove, async (c) => {
      const { projectId, id } = c.req.valid('param');
      await service.deleteAsset(call(c), storage, projectId, id);
      return c.body(null, 204);
    });
}
