import { and, asc, eq, gt } from 'drizzle-orm';
import { projectPrompts } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type ProjectPromptRow = typeof projectPrompts.$inferSelect;

export async function listPrompts(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { conversationId?: string; role?: ProjectPromptRow['role']; afterId: string | null; limit: number },
): Promise<ProjectPromptRow[]> {
  return tx
    .select()
    .from(projectPrompts)
    .where(
      and(
        eq(projectPrompts.organizationId, organizationId),
        eq(projectPrompts.projectId, projectId),
        filter.conversationId ? eq(projectPrompts.conversationId, filter.conversationId) : undefined,
        filter.role ? eq(projectPrompts.role, filter.role) : undefined,
        filter.afterId ? gt(projectPrompts.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(projectPrompts.id))
    .limit(filter.limit + 1);
}

export async function insertPrompt(
  tx: Tx,
  organizationId: string,
  values: Omit<typeof projectPrompts.$inferInsert, 'organizationId'> & { id: string },
): Promise<ProjectPromptRow> {
  const [row] = await tx
    .insert(projectPrompts)
    .values({ ...values, organizationId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}
