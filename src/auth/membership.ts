import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import type { PipelineResult } from '../db/pipeline.js';
import { build, selectStatement } from '../db/statement.js';
import { members } from '../db/schema/index.js';
import { type Role, isRole } from './permissions.js';

/**
 * The caller's role in an organization, or null when they are not a member. One statement on
 * the connection as configured, like Better Auth's own session and member lookups (see
 * auth.ts): membership decides which tenant a request may enter, so it is read before any
 * tenant context exists. A tenant transaction would cost four round trips for one indexed row.
 */
export async function memberRole(db: Database, organizationId: string, userId: string): Promise<Role | null> {
  const [row] = await db.orm
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
  return row && isRole(row.role) ? row.role : null;
}

/**
 * The same lookup as a statement for a tenant pipeline (`withTenantPipeline`), so the check
 * travels in the request's one round trip: under the tenant's context the members policy shows
 * that tenant's rows, and no row means the caller is no member.
 */
export const memberRoleStatement = selectStatement<{ organizationId: string; userId: string }, { role: string }>(
  build
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.organizationId, sql.placeholder('organizationId')), eq(members.userId, sql.placeholder('userId')))),
);

/** The role `memberRoleStatement` found, or null. */
export function roleFrom(result: PipelineResult | undefined): Role | null {
  const [row] = memberRoleStatement.rows(result);
  return row && isRole(row.role) ? row.role : null;
}
