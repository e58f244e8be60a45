import { v7 as uuidv7 } from 'uuid';
import type { GapStatus } from '../../db/schema/index.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireLiveProject } from '../shared/live-project.js';
import { requireAccessVia } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateGapInput, GapListFilter, UpdateGapInput } from './schemas.js';

/**
 * Where a gap may go from each status. Work moves forward through analysis; a resolved or
 * accepted gap can only be reopened (back to in_progress), which clears resolved_at.
 */
const TRANSITIONS: Record<GapStatus, readonly GapStatus[]> = {
  identified: ['analyzing', 'in_progress', 'resolved', 'accepted'],
  analyzing: ['identified', 'in_progress', 'resolved', 'accepted'],
  in_progress: ['analyzing', 'resolved', 'accepted'],
  resolved: ['in_progress'],
  accepted: ['in_progress'],
};

/** The status change and the resolved_at that goes with it; refuses moves the table above forbids. */
function statusChange(from: GapStatus, to: GapStatus | undefined, now: Date): { status?: GapStatus; resolvedAt?: Date | null } {
  if (to === undefined || to === from) return {};
  if (!TRANSITIONS[from].includes(to)) {
    throw new TenantryError('conflict', `a gap cannot move from ${from} to ${to}`, { from, to, allowed: TRANSITIONS[from] });
  }
  return { status: to, resolvedAt: to === 'resolved' ? now : null };
}

export async function listGaps(call: ServiceCall, projectId: string, filter: GapListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId);
    return repository.listGaps(tx, organizationId, projectId, {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.severity ? { severity: filter.severity } : {}),
      ...(filter.gapType ? { gapType: filter.gapType } : {}),
      afterId,
      limit: filter.limit,
    });
  });
  return toPage(rows, filter.limit);
}

export async function getGap(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'gap', id, 'read');
    return found(await repository.findGap(tx, call.scope.organizationId, id), 'gap');
  });
}

export async function createGap(call: ServiceCall, projectId: string, input: CreateGapInput) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId, 'write');
    return repository.insertGap(tx, organizationId, { ...input, id: uuidv7(), projectId, identifiedById: userId });
  });
}

export async function updateGap(call: ServiceCall, id: string, input: UpdateGapInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'gap', id, 'write');
    const current = found(await repository.findGap(tx, organizationId, id, true), 'gap');
    const { status, ...fields } = input;
    const changes = { ...fields, ...statusChange(current.status, status, new Date()) };
    if (Object.keys(changes).length === 0) return current;
    return found(await repository.updateGap(tx, organizationId, id, changes), 'gap');
  });
}

/** Soft delete: the row stays for the audit trail, hidden from every read. */
export async function deleteGap(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  await inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'gap', id, 'write');
    found(await repository.findGap(tx, organizationId, id, true), 'gap');
    await repository.updateGap(tx, organizationId, id, { deletedAt: new Date() });
  });
}
