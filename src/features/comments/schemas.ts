import { z } from '@hono/zod-openapi';
import { PageQuery, pageOf } from '../../http/openapi.js';
import { Person } from '../shared/person.js';
import { TaskParams as TaskPathParams } from '../tasks/schemas.js';

export const Comment = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    taskId: z.uuid(),
    authorId: z.uuid().nullable(),
    /** Who wrote it (null once they leave the organization). */
    author: Person.nullable(),
    body: z.string(),
    /** When the author (or an admin) last changed the body; null if never. */
    editedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Comment');

const commentFields = { body: z.string().trim().min(1).max(20_000) };

export const CreateCommentBody = z.strictObject(commentFields).openapi('CreateComment');
export const UpdateCommentBody = z.strictObject(commentFields).openapi('UpdateComment');

/** `/orgs/{orgId}/tasks/{taskId}/comments`: the task's id or its reference, as on the task's own routes. */
export const TaskParams = TaskPathParams.omit({ id: true }).extend({
  taskId: TaskPathParams.shape.id.openapi({ param: { name: 'taskId', in: 'path' }, description: 'Task id or reference (ACME-7)' }),
});

export const CommentListQuery = PageQuery;

export const CommentPage = pageOf(Comment, 'CommentPage');

export type CreateCommentInput = z.infer<typeof CreateCommentBody>;
export type UpdateCommentInput = z.infer<typeof UpdateCommentBody>;
export type CommentListFilter = z.infer<typeof CommentListQuery>;
