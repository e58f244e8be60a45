import { z } from '@hono/zod-openapi';
import { PageQuery, pageOf, uuid } from '../../http/openapi.js';

export const Comment = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    taskId: z.uuid(),
    authorId: z.uuid().nullable(),
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

export const TaskParams = z.object({
  orgId: uuid().openapi({ param: { name: 'orgId', in: 'path' }, description: 'Organization id' }),
  taskId: uuid().openapi({ param: { name: 'taskId', in: 'path' }, description: 'Task id' }),
});

export const CommentListQuery = PageQuery;

export const CommentPage = pageOf(Comment, 'CommentPage');

export type CreateCommentInput = z.infer<typeof CreateCommentBody>;
export type UpdateCommentInput = z.infer<typeof UpdateCommentBody>;
export type CommentListFilter = z.infer<typeof CommentListQuery>;
