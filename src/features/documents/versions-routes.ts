import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { Document } from './schemas.js';
import {
  DocumentVersion,
  DocumentVersionDiff,
  DocumentVersionPage,
  VersionDiffQuery,
  VersionListQuery,
  VersionParams,
} from './versions-schemas.js';
import * as service from './versions-service.js';

const tags = ['documents'];
const base = '/orgs/{orgId}/documents/{id}/versions';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List a document's versions, newest first (1 is the text it was created with)",
  request: { params: OrgResourceParams, query: VersionListQuery },
  responses: { 200: json(DocumentVersionPage, 'A page of versions, without their text'), ...tenantErrorResponses },
});
const diff = createRoute({
  method: 'get', path: `${base}/diff`, tags, summary: 'Compare two versions of a document (by default the newest with the one before): title, text line by line, unified diff',
  request: { params: OrgResourceParams, query: VersionDiffQuery },
  responses: { 200: json(DocumentVersionDiff, 'What changed from `from` to `to`'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{version}`, tags, summary: 'Get one version of a document with its text',
  request: { params: VersionParams },
  responses: { 200: json(DocumentVersion, 'The version'), ...tenantErrorResponses },
});
const restore = createRoute({
  method: 'post', path: `${base}/{version}/restore`, tags,
  summary: "Put a version's title and text back (members and up); this save is a new version",
  request: { params: VersionParams },
  responses: { 200: json(Document, 'The document as restored'), ...tenantErrorResponses },
});

export function documentVersionRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listVersions(call(c), c.req.valid('param').id, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(diff, async (c) => c.json(await service.diffVersions(call(c), c.req.valid('param').id, c.req.valid('query')), 200))
    .openapi(get, async (c) => {
      const { id, version } = c.req.valid('param');
      return c.json(serialize(await service.getVersion(call(c), id, version)), 200);
    })
    .openapi(restore, async (c) => {
      const { id, version } = c.req.valid('param');
      return c.json(serialize(await service.restoreVersion(call(c), id, version)), 200);
    });
}
