import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireAccessVia, requireProjectAccess } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateEpicInput, EpicListFilter, UpdateEpicInput } from './schemas.js';

export async function listEpics(call: ServiceCall, projectId: string, filter: EpicListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, projectId, 'read');
    return repository.listEpics(tx, organizationId, projectId, { ...filter, afterId });
  });
  return toPage(rows, filter.limit);
}

export async function getEpic(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'epic', id, 'read');
    return found(await repository.findEpic(tx, call.scope.organizationId, id), 'epic');
  });
}

export async function createEpic(call: ServiceCall, projectId: string, input: CreateEpicInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, projectId, 'write');
    await assertOwnerIsMember(tx, organizationId, input.ownerId);
    return repository.insertEpic(tx, organizationId, projectId, input);
  });
}

export async function updateEpic(call: ServiceCall, id: string, input: UpdateEpicInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'epic', id, 'write');
    const epic = found(await repository.findEpic(tx, organizationId, id), 'epic');
    await assertOwnerIsMember(tx, organizationId, input.ownerId);
    const startDate = input.startDate === undefined ? epic.startDate : input.startDate;
    const targetDate = input.targetDate === undefined ? epic.targetDate : input.targetDate;
    if (startDate && targetDate && targetDate < startDate) {
      const message = `targetDate ${targetDate} is before startDate ${startDate}`;
      throw new TenantryError('validation_failed', message, [{ path: input.targetDate ? 'targetDate' : 'startDate', message }]);
    }
    return found(await repository.updateEpic(tx, organizationId, id, input), 'epic');
  });
}

/** Soft delete: the row stays for the audit trail, hidden from every read; its tasks lose the epic. */
export async function deleteEpic(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  await inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'epic', id, 'write');
    found(await repository.updateEpic(tx, organizationId, id, { deletedAt: new Date() }), 'epic');
    await repository.detachTasks(tx, organizationId, id);
  });
}

/** An owner from outside the organization (another tenant's user included) is a 404, like a missing one. */
async function assertOwnerIsMember(tx: Tx, organizationId: string, ownerId: string | null | undefined) {
  if (ownerId && !(await repository.isMember(tx, organizationId, ownerId))) {
    throw new TenantryError('not_found', 'owner not found', [{ path: 'ownerId', message: 'not a member of this organization' }]);
  }
}
