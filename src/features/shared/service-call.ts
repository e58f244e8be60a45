import { memberRole, memberRoleStatement, roleFrom } from '../../auth/membership.js';
import { type Permission, type Role, can } from '../../auth/permissions.js';
import type { Database } from '../../db/connection.js';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { type Tx, withTenant, withTenantPipeline } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import type { TenantScope } from '../../http/env.js';
import type { TenantClaim } from '../../http/tenant-scope.js';

/** What every service function receives: the database and the proven caller. */
export type ServiceCall = { db: Database; scope: TenantScope; requestId: string };

/** Throws 403 unless the caller's role grants the permission (see src/auth/permissions.ts). */
export function requirePermission(call: ServiceCall, permission: Permission): void {
  requireRole(call.scope.role, permission);
}

function requireRole(role: Role, permission: Permission): void {
  if (!can(role, permission)) throw new TenantryError('forbidden', `a ${role} may not do this (needs ${permission})`);
}

/** A call whose membership is not checked yet: `inTenantOnce` checks it in the same round trip as the work. */
export type ClaimedCall = { db: Database; claim: TenantClaim; requestId: string };

/**
 * The caller's membership check and `statements`, in the tenant's context, as one transaction in
 * one database round trip. The statements run whatever the check finds (they cannot wait for
 * it without a second round trip), so they must be reads: their rows are dropped unseen and the
 * answer is 404 when the caller is no member, 403 when the role lacks `permission`, exactly as
 * `tenantScope` and `requirePermission` answer.
 */
export async function inTenantOnce(call: ClaimedCall, permission: Permission, statements: PipelineStatement[]): Promise<PipelineResult[]> {
  const { db, claim, requestId } = call;
  const [membership, ...results] = await withTenantPipeline(db, { ...claim, requestId }, [memberRoleStatement.bind(claim), ...statements]);
  const role = roleFrom(membership);
  if (!role) throw new TenantryError('not_found', 'organization not found');
  requireRole(role, permission);
  return results;
}

/** The claimed call with its membership checked apart (one statement), for work that runs the ordinary way. */
export async function scopedCall(call: ClaimedCall): Promise<ServiceCall> {
  const role = await memberRole(call.db, call.claim.organizationId, call.claim.userId);
  if (!role) throw new TenantryError('not_found', 'organization not found');
  return { db: call.db, scope: { ...call.claim, role }, requestId: call.requestId };
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
