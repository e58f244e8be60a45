import type { MiddlewareHandler } from 'hono';
import type { Database } from '../../db/connection.js';
import { type Tx, withTenant } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';

/**
 * What a service receives for a signed-in request outside `/orgs/{orgId}` (creating an
 * organization, accepting an invitation): the caller, and no tenant yet.
 */
export type SessionCall = { db: Database; userId: string; requestId: string };

/** The session call for a route outside any organization; 401 without a session. */
export function sessionCallerOf(db: Database, c: { var: { userId: string | null; requestId: string } }): SessionCall {
  const { userId, requestId } = c.var;
  if (!userId) throw new TenantryError('unauthenticated', 'sign in first');
  return { db, userId, requestId };
}

/** Runs `work` in one organization's tenant transaction on behalf of the session's user. */
export function inOrganization<T>(call: SessionCall, organizationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(call.db, { organizationId, userId: call.userId, requestId: call.requestId }, work);
}

/** 401 before anything else (validation included) on a session route, as the tenant middleware does for `/orgs`. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.userId) throw new TenantryError('unauthenticated', 'sign in first');
  await next();
};
