import { createRoute } from '@hono/zod-openapi';
import { OrgParams, json, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { AuditLogListQuery, AuditLogPage } from './schemas.js';
import * as service from './service.js';

const list = createRoute({
  method: 'get', path: '/orgs/{orgId}/audit-logs', tags: ['audit logs'],
  summary: "Read the organization's audit trail, newest first (admins; filters: actorId, resourceType, resourceId, from, to)",
  request: { params: OrgParams, query: AuditLogListQuery },
  responses: { 200: json(AuditLogPage, 'A page of audit entries'), ...tenantErrorResponses },
});

export function auditLogRoutes({ db }: RouterDeps) {
  return newRouter().openapi(list, async (c) => {
    const page = await service.listAuditLogs(callerOf(db, c), c.req.valid('query'));
    return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
  });
}
