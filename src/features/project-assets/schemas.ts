import { z } from '@hono/zod-openapi';
import { pageOf, PageQuery, ProjectParams, uuid } from '../../http/openapi.js';
import { TASK_REF } from '../tasks/schemas.js';

/** File metadata; the bytes are at `…/assets/{id}/content`. */
export const ProjectAsset = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    /** The task the file is attached to; null for a file of the project alone. */
    taskId: z.uuid().nullable(),
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

/** A live task of the asset's project, by id or reference (ACME-7). */
const TaskIdOrRef = z
  .union([z.uuid(), z.string().regex(TASK_REF)])
  .openapi({ description: 'Task id or reference (ACME-7) of a live task of this project', example: 'ACME-7' });

export const UploadQuery = z.object({
  /** Shown to people and offered on download; never used as a path. */
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^\p{Cc}/\\]+$/u, 'a file name without slashes or control characters'),
  /** Attaches the file to this task. */
  taskId: TaskIdOrRef.optional(),
});

/** `type/subtype` with optional parameters, e.g. `text/plain; charset=utf-8`. */
export const contentTypePattern = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;[\x20-\x7e]*)?$/;

export const BinaryBody = z.string().openapi({ format: 'binary', description: 'The file bytes; Content-Type is stored with them' });

export const AssetListQuery = PageQuery.extend({
  /** Only the files attached to this task. */
  taskId: TaskIdOrRef.optional(),
});

export const ProjectAssetPage = pageOf(ProjectAsset, 'ProjectAssetPage');

export type AssetListFilter = z.infer<typeof AssetListQuery>;
