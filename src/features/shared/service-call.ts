import { type Permission, can } from '../../auth/permissions.js';
import type { Database } from '../../db/connection.js';
import { type Tx, withTenant } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import type { TenantScope } from '../../http/env.js';

/** What every service function receives: the database and the proven caller. */
export type ServiceCall = { db: Database; scope: TenantScope; requestId: string };

/** Throws 403 unless the caller's role grants the permission (see src/auth/permissions.ts). */
export function requirePermission(call: ServiceCall, permission: Permission): void {
  if (!can(call.scope.role, permission)) {
    throw new TenantryError('forbidden', `a ${call.scope.role} may not do this (needs ${permission})`);
  }
}

/** Runs `work` in the caller's tenant transaction, with the actor and request id for the audit trail. */
export function inTenant<T>(call: ServiceCall, work: (tx: Tx) => Promise<T>): Promise<T> {
  const { db, scope, requestId } = call;
  return withTenant(db, { organizationId: scope.organizationId, userId: scope.userId, requestId }, work);
}

/** Turns "no row" into the 404 every missing (or other tenant's) resource gets. */
export function found<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new TenantryError('not_found', `${what} not found`);
  return row;
}

/** The service call for a request that passed the tenant middleware. */
export function callerOf(db: Database, c: { var: { tenant: TenantScope; requestId: string } }): ServiceCall {
  return { db, scope: c.var.tenant, requestId: c.var.requestId };
}
