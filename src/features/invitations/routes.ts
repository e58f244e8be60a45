import { createRoute } from '@hono/zod-openapi';
import { OrgParams, OrgResourceParams, errorResponse, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { requireSession, sessionCallerOf } from '../organizations/session-call.js';
import { callerOf } from '../shared/service-call.js';
import { CreateInvitationBody, Invitation, InvitationListQuery, InvitationPage, InvitationParams, MyInvitations } from './schemas.js';
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
const resend = createRoute({
  method: 'post', path: `${base}/{id}/resend`, tags,
  summary: 'Mail a pending or expired invitation again, valid for another 48 hours (admins)',
  request: { params: OrgResourceParams },
  responses: {
    200: json(Invitation, 'The renewed invitation'),
    ...tenantErrorResponses,
    429: errorResponse('`rate_limited`: 3 invitation mails to one address, or 20 sent by one admin, an hour; `Retry-After` says when'),
  },
});
const mine = createRoute({
  method: 'get', path: '/me/invitations', tags,
  summary: "Your open invitations in every organization (a verified email address only; otherwise use the mail's link)",
  responses: { 200: json(MyInvitations, 'Your open invitations'), ...tenantErrorResponses },
});
const accept = createRoute({
  method: 'post', path: '/invitations/{id}/accept', tags,
  summary: 'Accept an invitation addressed to your email; you join with the invited role (again: the same answer)',
  request: { params: InvitationParams },
  responses: { 200: json(Invitation, 'The accepted invitation'), ...tenantErrorResponses },
});

export function invitationRoutes({ db, baseUrl }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  const links = { baseUrl };
  const router = newRouter();
  router.use('/invitations/*', requireSession);
  router.use('/me/invitations', requireSession);
  return router
    .openapi(list, async (c) => {
      const page = await service.listInvitations(call(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) => c.json(serialize(await service.createInvitation(call(c), c.req.valid('json'), links)), 201))
    .openapi(resend, async (c) => c.json(serialize(await service.resendInvitation(call(c), c.req.valid('param').id, links)), 200))
    .openapi(mine, async (c) => {
      const mineNow = await service.listMyInvitations(sessionCallerOf(db, c));
      return c.json({ emailVerified: mineNow.emailVerified, items: mineNow.items.map(serialize) }, 200);
    })
    .openapi(revoke, async (c) => c.json(serialize(await service.revokeInvitation(call(c), c.req.valid('param').id)), 200))
    .openapi(accept, async (c) =>
      c.json(serialize(await service.acceptInvitation(sessionCallerOf(db, c), c.req.valid('param').id)), 200));
}
