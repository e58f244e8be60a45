import { type SQL, and, asc, eq, gt, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { comments, projects, tasks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Every column a client may see (not the soft-delete marker). */
const visible = {
  id: comments.id,
  organizationId: comments.organizationId,
  taskId: comments.taskId,
  authorId: comments.authorId,
  body: comments.body,
  editedAt: comments.editedAt,
  createdAt: comments.createdAt,
  updatedAt: comments.updatedAt,
};
export type CommentView = Omit<typeof comments.$inferSelect, 'deletedAt'>;

/** Live (not soft-deleted) comments of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL => and(eq(comments.organizationId, organizationId), isNull(comments.deletedAt)) as SQL;

/** A live task whose project is live: a deleted task (or project) hides its discussion. */
const liveTask = (organizationId: string): SQL =>
  and(
    eq(tasks.organizationId, organizationId),
    isNull(tasks.deletedAt),
    eq(projects.organizationId, tasks.organizationId),
    eq(projects.id, tasks.projectId),
    isNull(projects.deletedAt),
  ) as SQL;

export async function findTask(tx: Tx, organizationId: string, taskId: string): Promise<{ id: string } | undefined> {
  const [row] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(projects, liveTask(organizationId))
    .where(eq(tasks.id, taskId));
  return row;
}

export async function listComments(
  tx: Tx,
  organizationId: string,
  taskId: string,
  page: { afterId: string | null; limit: number },
): Promise<CommentView[]> {
  return tx
    .select(visible)
    .from(comments)
    .where(and(live(organizationId), eq(comments.taskId, taskId), page.afterId ? gt(comments.id, page.afterId) : undefined))
    .orderBy(asc(comments.id))
    .limit(page.limit + 1);
}

export async function findComment(tx: Tx, organizationId: string, id: string): Promise<CommentView | undefined> {
  const [row] = await tx
    .select(visible)
    .from(comments)
    .innerJoin(tasks, and(eq(tasks.organizationId, comments.organizationId), eq(tasks.id, comments.taskId)))
    .innerJoin(projects, liveTask(organizationId))
    .where(and(live(organizationId), eq(comments.id, id)));
  return row;
}

export async function insertComment(tx: Tx, organizationId: string, taskId: string, authorId: string, body: string): Promise<CommentView> {
  const [row] = await tx
    .insert(comments)
    .values({ id: uuidv7(), organizationId, taskId, authorId, body })
    .returning(visible);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateComment(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: { body: string; editedAt: Date } | { deletedAt: Date },
): Promise<CommentView | undefined> {
  const [row] = await tx
    .update(comments)
    .set(changes)
    .where(and(live(organizationId), eq(comments.id, id)))
    .returning(visible);
  return row;
}
