import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, checksMembershipItself, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { claimTenant } from '../../http/tenant-scope.js';
import { callerOf } from '../shared/service-call.js';
import { Comment, CommentListQuery, CommentPage, CreateCommentBody, TaskParams, UpdateCommentBody } from './schemas.js';
import * as service from './service.js';

const tags = ['comments'];
const onTask = '/orgs/{orgId}/tasks/{taskId}/comments';
const byId = '/orgs/{orgId}/comments/{id}';

const list = createRoute({
  method: 'get', path: onTask, tags, summary: 'List a task\'s comments, oldest first',
  request: { params: TaskParams, query: CommentListQuery },
  responses: { 200: json(CommentPage, 'A page of comments'), ...tenantErrorResponses },
});
const create = createRoute({
  ...checksMembershipItself,
  method: 'post', path: onTask, tags, summary: 'Comment on a task (members and up)',
  request: { params: TaskParams, body: jsonBody(CreateCommentBody) },
  responses: { 201: json(Comment, 'The new comment'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: byId, tags, summary: 'Get a comment',
  request: { params: OrgResourceParams },
  responses: { 200: json(Comment, 'The comment'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: byId, tags, summary: 'Edit a comment (its author or an admin)',
  request: { params: OrgResourceParams, body: jsonBody(UpdateCommentBody) },
  responses: { 200: json(Comment, 'The edited comment'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: byId, tags, summary: 'Delete a comment (its author or an admin; soft delete)',
  request: { params: OrgResourceParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

export function commentRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listComments(call(c), c.req.valid('param').taskId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createClaimedComment({ db, claim: await claimTenant(db, c), requestId: c.var.requestId }, c.req.valid('param').taskId, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getComment(call(c), c.req.valid('param').id)), 200))
    .openapi(update, async (c) =>
      c.json(serialize(await service.updateComment(call(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteComment(call(c), c.req.valid('param').id);
      return c.body(null, 204);
    });
}
