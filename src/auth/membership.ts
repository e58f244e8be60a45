import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
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
