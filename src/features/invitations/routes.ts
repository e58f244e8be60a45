import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { requireSession, sessionCallerOf } from '../organizations/session-call.js';
import { callerOf } from '../shared/service-call.js';
import { CreateInvitationBody, Invitation, InvitationListQuery, InvitationPage, InvitationParams } from './schemas.js';
import * as service from './service.js';

const tags = ['invitations'];
const base = '/orgs/{orgId}/invitations';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List the organization's invitations (admins)",
  request: { params: OrgParams, query: InvitationListQuery },
  responses: { 200: json(InvitationPage, 'A page of invitations'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: base, tags,
  summary: 'Invite someone by email for 48 hours (admins; an open invitation counts against the member limit)',
  request: { params: OrgParams, body: jsonBody(CreateInvitationBody) },
  responses: { 201: json(Invitation, 'The new invitation'), ...tenantErrorResponses },
});
const revoke = createRoute({
  method: 'post', path: `${base}/{id}/revoke`, tags, summary: 'Revoke a pending invitation (admins)',
  request: { params: OrgResourceParams },
  responses: { 200: json(Invitation, 'The revoked invitation'), ...tenantErrorResponses },
});
const accept = createRoute({
  method: 'post', path: '/invitations/{id}/accept', tags,
  summary: 'Accept an invitation addressed to your email; you join with the invited role',
  request: { params: InvitationParams },
  responses: { 200: json(Invitation, 'The accepted invitation'), ...tenantErrorResponses },
});

export function invitationRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  const router = newRouter();
  router.use('/invitations/*', requireSession);
  return router
    .openapi(list, async (c) => {
      const page = await service.listInvitations(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createInvitation(call(c), c.req.valid('json'))), 201))
    .openapi(revoke, async (c) => c.json(serialize(await service.revokeInvitation(call(c), c.req.valid('param').id)), 200))
    .openapi(accept, async (c) =>
      c.json(serialize(await service.acceptInvitation(sessionCallerOf(db, c), c.req.valid('param').id)), 200));
}
