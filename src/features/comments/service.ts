import { ROLE_ORDER } from '../../auth/permissions.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CommentListFilter, CreateCommentInput, UpdateCommentInput } from './schemas.js';

export async function listComments(call: ServiceCall, taskId: string, filter: CommentListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    found(await repository.findTask(tx, organizationId, taskId), 'task');
    return repository.listComments(tx, organizationId, taskId, { afterId, limit: filter.limit });
  });
  return toPage(rows, filter.limit);
}

export async function getComment(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return found(await inTenant(call, (tx) => repository.findComment(tx, call.scope.organizationId, id)), 'comment');
}

export async function createComment(call: ServiceCall, taskId: string, input: CreateCommentInput) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    found(await repository.findTask(tx, organizationId, taskId), 'task');
    return repository.insertComment(tx, organizationId, taskId, userId, input.body);
  });
}

export async function updateComment(call: ServiceCall, id: string, input: UpdateCommentInput) {
  return changeOwnComment(call, id, { body: input.body, editedAt: new Date() });
}

/** Soft delete: the row stays for the audit trail, hidden from every read. */
export async function deleteComment(call: ServiceCall, id: string): Promise<void> {
  await changeOwnComment(call, id, { deletedAt: new Date() });
}

/** Load, then 403 unless the caller wrote the comment or is an admin; another tenant's comment stays a 404. */
async function changeOwnComment(call: ServiceCall, id: string, changes: Parameters<typeof repository.updateComment>[3]) {
  requirePermission(call, 'work:write');
  const { organizationId, userId, role } = call.scope;
  return inTenant(call, async (tx) => {
    const comment = found(await repository.findComment(tx, organizationId, id), 'comment');
    if (comment.authorId !== userId && !moderates(role)) {
      throw new TenantryError('forbidden', 'only the author or an admin may change a comment');
    }
    return found(await repository.updateComment(tx, organizationId, id, changes), 'comment');
  });
}

/** Admins and owners moderate every discussion in their organization. */
function moderates(role: ServiceCall['scope']['role']): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf('admin');
}
