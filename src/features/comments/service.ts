import { ROLE_ORDER } from '../../auth/permissions.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireAccessVia, requireCommentAccess } from '../shared/project-access.js';
import { type ClaimedCall, type ServiceCall, found, inTenant, requirePermission, scopedCall } from '../shared/service-call.js';
import { afterCommentChanged, afterCommentCreated } from '../notifications/service.js';
import { findTaskId } from '../tasks/service.js';
import { createCommentInOneTrip } from './create-in-one-trip.js';
import * as repository from './repository.js';
import type { CommentListFilter, CreateCommentInput, UpdateCommentInput } from './schemas.js';

/** `taskIdOrRef`: the task's id or its reference (ACME-7). */
export async function listComments(call: ServiceCall, taskIdOrRef: string, filter: CommentListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    const taskId = found(await findTaskId(tx, organizationId, taskIdOrRef), 'task');
    await requireAccessVia(tx, call.scope, 'task', taskId, 'read');
    return repository.listComments(tx, organizationId, taskId, { afterId, limit: filter.limit });
  });
  return toPage(rows, filter.limit);
}

export async function getComment(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireCommentAccess(tx, call.scope, id, 'read');
    return found(await repository.findComment(tx, call.scope.organizationId, id), 'comment');
  });
}

export async function createComment(call: ServiceCall, taskIdOrRef: string, input: CreateCommentInput) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    const taskId = found(await findTaskId(tx, organizationId, taskIdOrRef), 'task');
    await requireAccessVia(tx, call.scope, 'task', taskId, 'comment');
    const comment = await repository.insertComment(tx, organizationId, taskId, userId, input.body);
    await afterCommentCreated(tx, { organizationId, actorId: userId }, comment);
    return comment;
  });
}

/**
 * A comment create as the route asks for it: in one round trip (see create-in-one-trip.ts), or
 * when the check refused it there, the ordinary create after the membership check, which
 * answers why.
 */
export async function createClaimedComment(call: ClaimedCall, taskIdOrRef: string, input: CreateCommentInput) {
  const comment = await createCommentInOneTrip(call, taskIdOrRef, input);
  if (comment) return comment;
  return createComment(await scopedCall(call), taskIdOrRef, input);
}

export async function updateComment(call: ServiceCall, id: string, input: UpdateCommentInput) {
  return found(await changeOwnComment(call, id, { body: input.body, editedAt: new Date() }), 'comment');
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
    await requireCommentAccess(tx, call.scope, id, 'comment');
    const comment = found(await repository.findComment(tx, organizationId, id), 'comment');
    if (comment.authorId !== userId && !moderates(role)) {
      throw new TenantryError('forbidden', 'only the author or an admin may change a comment');
    }
    if (!(await repository.updateComment(tx, organizationId, id, changes))) throw new TenantryError('not_found', 'comment not found');
    const deleted = 'deletedAt' in changes;
    await afterCommentChanged(tx, { organizationId, actorId: userId }, { ...comment, body: deleted ? null : changes.body, bodyBefore: comment.body, deleted });
    // Read back with its author; a deleted comment reads as nothing.
    return repository.findComment(tx, organizationId, id);
  });
}

/** Admins and owners moderate every discussion in their organization. */
function moderates(role: ServiceCall['scope']['role']): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf('admin');
}
