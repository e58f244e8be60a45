import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import {
  CreateDocumentBody,
  Document,
  DocumentListQuery,
  DocumentPage,
  ProjectParams,
  UpdateDocumentBody,
} from './schemas.js';
import * as service from './service.js';

const tags = ['documents'];
const inProject = '/orgs/{orgId}/projects/{projectId}/documents';
const base = '/orgs/{orgId}/documents';

const list = createRoute({
  method: 'get', path: inProject, tags, summary: "List a project's documents (filters: type, status, full-text q)",
  request: { params: ProjectParams, query: DocumentListQuery },
  responses: { 200: json(DocumentPage, 'A page of documents, without their content'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: inProject, tags, summary: 'Create a draft document (members and up; slug from the title when absent)',
  request: { params: ProjectParams, body: jsonBody(CreateDocumentBody) },
  responses: { 201: json(Document, 'The new document'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: `${base}/{id}`, tags, summary: 'Get a document with its content',
  request: { params: OrgResourceParams },
  responses: { 200: json(Document, 'The document'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{id}`, tags, summary: "Change a document's title, slug, content, type or metadata",
  request: { params: OrgResourceParams, body: jsonBody(UpdateDocumentBody) },
  responses: { 200: json(Document, 'The changed document'), ...tenantErrorResponses },
});
const publish = createRoute({
  method: 'post', path: `${base}/{id}/publish`, tags, summary: 'Publish a document',
  request: { params: OrgResourceParams },
  responses: { 200: json(Document, 'The published document'), ...tenantErrorResponses },
});
const archive = createRoute({
  method: 'post', path: `${base}/{id}/archive`, tags, summary: 'Archive a document',
  request: { params: OrgResourceParams },
  responses: { 200: json(Document, 'The archived document'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{id}`, tags, summary: 'Delete a document (members and up; soft delete)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function documentRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listDocuments(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createDocument(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getDocument(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateDocument(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(publish, async (c) => c.json(serialize(await service.publishDocument(call(c), c.req.valid('param').id)), 200))
    .openapi(archive, async (c) => c.json(serialize(await service.archiveDocument(call(c), c.req.valid('param').id)), 200))
    .openapi(remove, async (c) => {
      await service.deleteDocument(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
