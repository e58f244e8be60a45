import { createRoute } from '@hono/zod-openapi';
import { OrgResourceParams, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { RESTORABLE } from './resources.js';
import * as service from './service.js';

/** `POST /orgs/{orgId}/<resource>/{id}/restore` for every soft-deleting resource (src/features/restore/resources.ts). */
export function restoreRoutes({ db }: RouterDeps) {
  const router = newRouter();
  for (const resource of RESTORABLE) {
    const route = createRoute({
      method: 'post',
      path: `/orgs/{orgId}/${resource.segment}/{id}/restore`,
      tags: [resource.segment],
      summary: `Restore a deleted ${resource.noun} (admins; within the retention period, TENANTRY_RETENTION_DAYS)`,
      request: { params: OrgResourceParams },
      responses: { 204: { description: 'Restored' }, ...tenantErrorResponses },
    });
    router.openapi(route, async (c) => {
      await service.restore(callerOf(db, c), resource, c.req.valid('param').id);
      return c.body(null, 204);
    });
  }
  return router;
}
