import { and, asc, eq, gt, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { predictions, projects, tasks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

export type PredictionRow = typeof predictions.$inferSelect;

/** Statuses of work still to do; canceled tasks are not work. */
const OPEN_STATUSES = ['todo', 'in_progress', 'in_review'] as const;

export async function listPredictions(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { predictionType?: PredictionRow['predictionType']; afterId: string | null; limit: number },
): Promise<PredictionRow[]> {
  return tx
    .select()
    .from(predictions)
    .where(
      and(
        eq(predictions.organizationId, organizationId),
        eq(predictions.projectId, projectId),
        filter.predictionType ? eq(predictions.predictionType, filter.predictionType) : undefined,
        filter.afterId ? gt(predictions.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(predictions.id))
    .limit(filter.limit + 1);
}

/** When each of the project's live tasks finished, within [since, until]. */
export async function completionTimes(tx: Tx, organizationId: string, projectId: string, since: Date, until: Date): Promise<Date[]> {
  const rows = await tx
    .select({ completedAt: tasks.completedAt })
    .from(tasks)
    .where(
      and(
        eq(tasks.organizationId, organizationId),
        eq(tasks.projectId, projectId),
        isNull(tasks.deletedAt),
        gte(tasks.completedAt, since),
        lte(tasks.completedAt, until),
      ),
    );
  return rows.flatMap((row) => (row.completedAt ? [row.completedAt] : []));
}

/**
 * When the project's history begins: its creation, or an earlier task it holds (imported work
 * keeps its own created_at and completed_at).
 */
export async function historyStart(tx: Tx, organizationId: string, projectId: string): Promise<Date | undefined> {
  const [row] = await tx
    .select({ startedAt: sql<string>`least(${projects.createdAt}, min(${tasks.createdAt}), min(${tasks.completedAt}))` })
    .from(projects)
    .leftJoin(tasks, and(eq(tasks.organizationId, projects.organizationId), eq(tasks.projectId, projects.id), isNull(tasks.deletedAt)))
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, projectId)))
    .groupBy(projects.createdAt);
  return row ? new Date(row.startedAt) : undefined;
}

export async function countOpenTasks(tx: Tx, organizationId: string, projectId: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int`.mapWith(Number) })
    .from(tasks)
    .where(
      and(
        eq(tasks.organizationId, organizationId),
        eq(tasks.projectId, projectId),
        isNull(tasks.deletedAt),
        inArray(tasks.status, OPEN_STATUSES),
      ),
    );
  return row?.count ?? 0;
}

export async function insertPrediction(
  tx: Tx,
  organizationId: string,
  values: Omit<typeof predictions.$inferInsert, 'organizationId'> & { id: string },
): Promise<PredictionRow> {
  const [row] = await tx
    .insert(predictions)
    .values({ ...values, organizationId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}
