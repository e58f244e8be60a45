import { type Placeholder, type SQL, and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { PgDialect, alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { comments, projects, tasks, users } from '../../db/schema/index.js';
import type { PipelineResult } from '../../db/pipeline.js';
import { build, buildWrite, jsonObjectOf, plainStatement, selectStatement } from '../../db/statement.js';
import type { Tx } from '../../db/tenant-context.js';

const author = alias(users, 'author');

/** Every column a client may see (not the soft-delete marker), and the author, read in the same statement. */
const visible = {
  id: comments.id,
  organizationId: comments.organizationId,
  taskId: comments.taskId,
  authorId: comments.authorId,
  author: { id: author.id, name: author.name, image: author.image },
  body: comments.body,
  editedAt: comments.editedAt,
  createdAt: comments.createdAt,
  updatedAt: comments.updatedAt,
};
export type CommentView = Awaited<ReturnType<typeof selectComments>>[number];

/** Comments with their authors (a member of the organization, or null once they leave). */
function selectComments(tx: Tx) {
  return tx.select(visible).from(comments).leftJoin(author, eq(author.id, comments.authorId));
}

/** Live (not soft-deleted) comments of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL => and(eq(comments.organizationId, organizationId), isNull(comments.deletedAt)) as SQL;

/** A live task whose project is live: a deleted task (or project) hides its discussion. */
const liveTask = (organizationId: string | Placeholder): SQL =>
  and(
    eq(tasks.organizationId, organizationId),
    isNull(tasks.deletedAt),
    eq(projects.organizationId, tasks.organizationId),
    eq(projects.id, tasks.projectId),
    isNull(projects.deletedAt),
  ) as SQL;

export async function listComments(
  tx: Tx,
  organizationId: string,
  taskId: string,
  page: { afterId: string | null; limit: number },
): Promise<CommentView[]> {
  return selectComments(tx)
    .where(and(live(organizationId), eq(comments.taskId, taskId), page.afterId ? gt(comments.id, page.afterId) : undefined))
    .orderBy(asc(comments.id))
    .limit(page.limit + 1);
}

export async function findComment(tx: Tx, organizationId: string, id: string): Promise<CommentView | undefined> {
  const [row] = await selectComments(tx)
    .innerJoin(tasks, and(eq(tasks.organizationId, comments.organizationId), eq(tasks.id, comments.taskId)))
    .innerJoin(projects, liveTask(organizationId))
    .where(and(live(organizationId), eq(comments.id, id)));
  return row;
}

export async function insertComment(tx: Tx, organizationId: string, taskId: string, authorId: string, body: string): Promise<CommentView> {
  const id = uuidv7();
  await tx.insert(comments).values({ id, organizationId, taskId, authorId, body });
  const row = await findComment(tx, organizationId, id);
  if (!row) throw new Error('the new comment could not be read back');
  return row;
}

export async function updateComment(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: { body: string; editedAt: Date } | { deletedAt: Date },
): Promise<boolean> {
  const rows = await tx
    .update(comments)
    .set(changes)
    .where(and(live(organizationId), eq(comments.id, id)))
    .returning({ id: comments.id });
  return rows.length > 0;
}

/*
 * The comment create as pipeline statements (create-in-one-trip.ts): the insert, and the read
 * for the answer around which the webhook event is recorded.
 */

const value = sql.placeholder;

/** `insertComment`'s insert, its values placeholders. */
export const insertCommentStatement = plainStatement<{ id: string; organizationId: string; taskId: string; authorId: string; body: string }>(
  buildWrite.insert(comments).values({ id: value('id'), organizationId: value('organizationId'), taskId: value('taskId'), authorId: value('authorId'), body: value('body') }),
);

/**
 * `insertCommentStatement` on the task that `fromTask` finds as `t` (a FROM, such as the tasks'
 * FROM_NAMED_TASK_REF): none found, nothing inserted, and the read of the comment finds nothing.
 */
export function insertCommentOnStatement(fromTask: SQL) {
  return plainStatement<{ id: string; organizationId: string; authorId: string; body: string }>(
    sql`insert into ${comments} (id, organization_id, task_id, author_id, body)
        select ${value('id')}::uuid, t.organization_id, t.id, ${value('authorId')}::uuid, ${value('body')}::text ${fromTask}`,
  );
}

const dialect = new PgDialect();

/**
 * `findComment` by id (placeholders `organizationId`, `id`) inside a statement that also writes
 * with the comment it reads, as tasks/repository.ts `findTaskAroundStatement` does for a task:
 * one more column, `body`, is `body(json)`, where `json` is the comment as the webhook event
 * carries it (the comment as the API shows it, then its task's `projectId`). The comment's own
 * text is read under another name, so that `body` is the event's alone.
 */
export function findCommentAroundStatement<TValues extends { organizationId: string; id: string }>(body: (json: SQL) => SQL, around: (read: SQL) => SQL) {
  const json = jsonObjectOf({ ...visible, projectId: tasks.projectId });
  const query = build
    .select({ ...visible, body: sql<string>`${comments.body}`.as('comment_body'), event: sql<string | null>`${body(json)}`.as('body') })
    .from(comments)
    .leftJoin(author, eq(author.id, comments.authorId))
    .innerJoin(tasks, and(eq(tasks.organizationId, comments.organizationId), eq(tasks.id, comments.taskId)))
    .innerJoin(projects, liveTask(value('organizationId')))
    .where(and(eq(comments.organizationId, value('organizationId')), isNull(comments.deletedAt), eq(comments.id, value('id'))));
  const statement = selectStatement<TValues, CommentView & { event: string | null }>({ toSQL: () => dialect.sqlToQuery(around(query.getSQL())), _: query._ });
  const read = (result: PipelineResult | undefined): CommentView | undefined => {
    const [row] = statement.rows(result);
    return row && withoutEvent(row);
  };
  return { bind: (values: TValues) => statement.bind(values), read };
}

const withoutEvent = ({ event: _event, ...comment }: CommentView & { event: string | null }): CommentView => comment;
