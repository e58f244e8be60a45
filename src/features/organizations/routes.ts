import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { CreateOrganizationBody, Organization, OrganizationListQuery, OrganizationPage, UpdateOrganizationBody } from './schemas.js';
import * as service from './service.js';
import { requireSession, sessionCallerOf } from './session-call.js';

const tags = ['organizations'];

const listMine = createRoute({
  method: 'get', path: '/organizations', tags, summary: "List the caller's organizations, with the caller's role in each",
  request: { query: OrganizationListQuery },
  responses: { 200: json(OrganizationPage, 'A page of organizations'), ...tenantErrorResponses },
});
const create = createRoute({
  method: 'post', path: '/organizations', tags, summary: 'Create an organization; the caller becomes its owner',
  request: { body: jsonBody(CreateOrganizationBody) },
  responses: { 201: json(Organization, 'The new organization'), ...tenantErrorResponses },
});
const get = createRoute({
  method: 'get', path: '/orgs/{orgId}', tags, summary: 'Get an organization (any member)',
  request: { params: OrgParams },
  responses: { 200: json(Organization, 'The organization'), ...tenantErrorResponses },
});
const update = createRoute({
  method: 'patch', path: '/orgs/{orgId}', tags, summary: "Change an organization's name, logo, domain or settings (admins)",
  request: { params: OrgParams, body: jsonBody(UpdateOrganizationBody) },
  responses: { 200: json(Organization, 'The changed organization'), ...tenantErrorResponses },
});
const remove = createRoute({
  method: 'delete', path: '/orgs/{orgId}', tags, summary: 'Delete an organization and everything in it (owners; permanent)',
  request: { params: OrgParams },
  responses: { 204: { description: 'Deleted' }, ...tenantErrorResponses },
});

/** `masterKey` wraps each new organization's data key; it comes from the app's start-up configuration. */
export function organizationRoutes({ db, masterKey }: RouterDeps & { masterKey: Buffer }) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  const session = (c: Parameters<typeof sessionCallerOf>[1]) => sessionCallerOf(db, c);
  const router = newRouter();
  router.use('/organizations', requireSession);
  return router
    .openapi(listMine, async (c) => {
      const page = await service.listMyOrganizations(session(c), c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(create, async (c) =>
      c.json(serialize(await service.createOrganization(session(c), masterKey, c.req.valid('json'))), 201))
    .openapi(get, async (c) => c.json(serialize(await service.getOrganization(call(c))), 200))
    .openapi(update, async (c) => c.json(serialize(await service.updateOrganization(call(c), c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await service.deleteOrganization(call(c));
      return c.body(null, 204);
    });
}
