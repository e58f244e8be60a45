import type { MiddlewareHandler } from 'hono';
import { memberRole } from '../auth/membership.js';
import type { Database } from '../db/connection.js';
import { TenantryError } from '../errors.js';
import { isUuid } from '../uuid.js';
import type { AppEnv } from './env.js';

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
    const role = await memberRole(db, organizationId, userId);
    if (!role) throw new TenantryError('not_found', 'organization not found');
    c.set('tenant', { organizationId, userId, role });
    await next();
  };
}
