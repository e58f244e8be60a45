import { z } from '@hono/zod-openapi';
import { OrgResourceParams, PageQuery, pageOf } from '../../http/openapi.js';
import { Person } from '../shared/person.js';

const versionNumber = () => z.coerce.number().int().min(1).max(2_147_483_647);

const VersionFields = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  /** 1 for the text the document was created with, then one more for each save. */
  version: z.number().int().min(1),
  title: z.string(),
  /** Who saved it; null only for versions taken from documents older than versioning whose creator had left. */
  authorId: z.uuid().nullable(),
  /** The version whose text this one copied, when a restore made it. */
  restoredFrom: z.number().int().min(1).nullable(),
  createdAt: z.iso.datetime(),
});

/** One saved state of a document, without its text, as the list shows it. */
export const DocumentVersionSummary = VersionFields.extend({ author: Person.nullable() }).openapi('DocumentVersionSummary');

/** One saved state of a document with its text. */
export const DocumentVersion = VersionFields.extend({ content: z.string() }).openapi('DocumentVersion');

export const DocumentVersionPage = pageOf(DocumentVersionSummary, 'DocumentVersionPage');

export const VersionParams = OrgResourceParams.extend({
  version: versionNumber().openapi({ param: { name: 'version', in: 'path' }, description: 'Version number' }),
});

export const VersionListQuery = PageQuery;

export const VersionDiffQuery = z.object({
  from: versionNumber().optional().openapi({ description: 'One side of the comparison; the version before `to` when absent' }),
  to: versionNumber().optional().openapi({ description: 'The other side; the newest version when absent' }),
});

const DiffPart = z
  .object({
    kind: z.enum(['added', 'removed', 'unchanged']),
    /** Whole lines, each with its line break. */
    value: z.string(),
    lines: z.number().int().min(0),
  })
  .openapi('DocumentDiffPart');

export const DocumentVersionDiff = z
  .object({
    from: z.number().int().min(1),
    to: z.number().int().min(1),
    title: z.object({ from: z.string(), to: z.string(), changed: z.boolean() }),
    /** The text, line by line, from `from` to `to`. */
    parts: z.array(DiffPart),
    /** The same change as a unified diff. */
    patch: z.string(),
  })
  .openapi('DocumentVersionDiff');

export type VersionListInput = z.infer<typeof VersionListQuery>;
export type VersionDiffInput = z.infer<typeof VersionDiffQuery>;
