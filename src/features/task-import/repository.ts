import { and, eq, inArray, sql } from 'drizzle-orm';
import { members, users } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Members of the organization by email (lower case), for the assignee column. */
export async function memberIdsByEmail(tx: Tx, organizationId: string, emails: string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const email = sql<string>`lower(${users.email})`;
  const rows = await tx
    .select({ email, userId: members.userId })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), inArray(email, emails)));
  return new Map(rows.map((row) => [row.email, row.userId]));
}
