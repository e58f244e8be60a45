import { and, eq, gt } from 'drizzle-orm';
import { taskLinks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type TaskLinkRow = typeof taskLinks.$inferSelect;

/** Oldest first (ids are UUIDv7, so by id is by time); served by the (organization, task, url) key's prefix. */
export async function listTaskLinks(tx: Tx, organizationId: string, taskId: string, page: { afterId: string | null; limit: number }): Promise<TaskLinkRow[]> {
  return tx
    .select()
    .from(taskLinks)
    .where(and(eq(taskLinks.organizationId, organizationId), eq(taskLinks.taskId, taskId), page.afterId ? gt(taskLinks.id, page.afterId) : undefined))
    .orderBy(taskLinks.id)
    .limit(page.limit + 1);
}
