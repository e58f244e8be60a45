import { z } from '@hono/zod-openapi';
import { pageOf, PageQuery, ProjectParams, uuid } from '../../http/openapi.js';

/** File metadata; the bytes are at `…/assets/{id}/content`. */
export const ProjectAsset = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    uploadedById: z.uuid().nullable(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.int(),
    /** Lower-case hex SHA-256 of the bytes, computed by the server while receiving them. */
    checksumSha256: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('ProjectAsset');

export { ProjectParams };

export const AssetParams = ProjectParams.extend({
  id: uuid().openapi({ param: { name: 'id', in: 'path' } }),
});

export const UploadQuery = z.object({
  /** Shown to people and offered on download; never used as a path. */
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^\p{Cc}/\\]+$/u, 'a file name without slashes or control characters'),
});

/** `type/subtype` with optional parameters, e.g. `text/plain; charset=utf-8`. */
export const contentTypePattern = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;[\x20-\x7e]*)?$/;

export const BinaryBody = z.string().openapi({ format: 'binary', description: 'The file bytes; Content-Type is stored with them' });

export const AssetListQuery = PageQuery;

export const ProjectAssetPage = pageOf(ProjectAsset, 'ProjectAssetPage');

export type AssetListFilter = z.infer<typeof AssetListQuery>;
