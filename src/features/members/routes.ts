import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { Member, MemberListQuery, MemberPage, MemberParams, UpdateMemberBody } from './schemas.js';
import * as service from './service.js';

const tags = ['members'];
const base = '/orgs/{orgId}/members';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List the organization's members with their names and emails",
  request: { params: OrgParams, query: MemberListQuery },
  responses: { 200: json(MemberPage, 'A page of members'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: `${base}/{userId}`, tags,
  summary: "Change a member's role (admins; only owners grant or remove 'owner'; the last owner stays)",
  request: { params: MemberParams, body: jsonBody(UpdateMemberBody) },
  responses: { 200: json(Member, 'The member with the new role'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: `${base}/{userId}`, tags,
  summary: 'Remove a member (admins), or leave the organization (yourself); the last owner stays',
  request: { params: MemberParams },
  responses: { 204: { description: 'Removed' }, ...tenantErrorResponses },
});

export function memberRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listMembers(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(update, async (c) =>
      c.json(serialize(await service.changeRole(call(c), c.req.valid('param').userId, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.removeMember(call(c), c.req.valid('param').userId);
      return c.body(null, 204);
    });
}
