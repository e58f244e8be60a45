import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { isRole } from '../auth/permissions.js';
import type { Database } from '../db/connection.js';
import { members } from '../db/schema/index.js';
import { withTenant } from '../db/tenant-context.js';
import { TenantryError } from '../errors.js';
import type { AppEnv } from './env.js';
import { isUuid } from '../uuid.js';


/**
 * Guards every `/orgs/{orgId}/…` route: the caller must be signed in (401) and a member of the
 * organization; anyone else gets 404, exactly as if the organization did not exist.
 */
export function tenantScope(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const userId = c.var.userId;
    if (!userId) throw new TenantryError('unauthenticated', 'sign in first');
    const organizationId = c.req.param('orgId') ?? '';
    if (!isUuid(organizationId)) throw new TenantryError('not_found', 'organization not found');
    const [membership] = await withTenant(db, { organizationId, userId, requestId: c.var.requestId }, (tx) =>
      tx
        .select({ role: members.role })
        .from(members)
        .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId))),
    );
    if (!membership || !isRole(membership.role)) throw new TenantryError('not_found', 'organization not found');
    c.set('tenant', { organizationId, userId, role: membership.role });
    await next();
  };
}
