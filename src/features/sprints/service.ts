import { sprintStatuses } from '../../db/schema/index.js';
import { TenantryError, sqlState } from '../../errors.js';
import type { Tx } from '../../db/tenant-context.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { afterSprintChanged } from '../notifications/service.js';
import { requireAccessVia, requireProjectAccess } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CompleteSprintInput, CreateSprintInput, SprintListFilter, UpdateSprintInput } from './schemas.js';

export async function listSprints(call: ServiceCall, projectId: string, filter: SprintListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, projectId, 'read');
    return repository.listSprints(tx, organizationId, projectId, { ...filter, afterId });
  });
  return toPage(rows, filter.limit);
}

export async function getSprint(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'sprint', id, 'read');
    return found(await repository.findSprint(tx, call.scope.organizationId, id), 'sprint');
  });
}

/** A new sprint is always in planning; it moves on only through start and complete. */
export async function createSprint(call: ServiceCall, projectId: string, input: CreateSprintInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, projectId, 'write');
    return announced(call, tx, await repository.insertSprint(tx, organizationId, projectId, input), 'created');
  });
}

export async function updateSprint(call: ServiceCall, id: string, input: UpdateSprintInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'sprint', id, 'write');
    const sprint = found(await repository.findSprint(tx, organizationId, id), 'sprint');
    const startDate = input.startDate === undefined ? sprint.startDate : input.startDate;
    const endDate = input.endDate === undefined ? sprint.endDate : input.endDate;
    if (startDate && endDate && endDate < startDate) {
      const message = `endDate ${endDate} is before startDate ${startDate}`;
      throw new TenantryError('validation_failed', message, [{ path: input.endDate ? 'endDate' : 'startDate', message }]);
    }
    return announced(call, tx, found(await repository.updateSprint(tx, organizationId, id, sprintStatuses, input), 'sprint'), 'updated');
  });
}

/** planning → active; a project runs one sprint at a time (a partial unique index backs this up). */
export async function startSprint(call: ServiceCall, id: string) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'sprint', id, 'write');
    const sprint = found(await repository.findSprint(tx, organizationId, id), 'sprint');
    if (sprint.status !== 'planning') throw conflict(`the sprint is ${sprint.status}; only a planning sprint can start`);
    const running = await repository.findActiveSprint(tx, organizationId, sprint.projectId);
    if (running) throw conflict(`sprint "${running.name}" is already active in this project`, { activeSprintId: running.id });
    try {
      const started = (await repository.updateSprint(tx, organizationId, id, ['planning'], { status: 'active' })) ?? raceLost();
      return await announced(call, tx, started, 'started');
    } catch (error) {
      // Another request started a sprint in this project between our check and our write.
      if (sqlState(error) === '23505') throw conflict('another sprint is already active in this project');
      throw error;
    }
  });
}

/**
 * active → completed, recording when and the velocity (story points of the sprint's done tasks),
 * and moving its unfinished tasks where the caller says. The status changes first: from then on
 * the database refuses new tasks in the sprint, so the move cannot miss one added meanwhile.
 */
export async function completeSprint(call: ServiceCall, id: string, input: CompleteSprintInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'sprint', id, 'write');
    const sprint = found(await repository.findSprint(tx, organizationId, id), 'sprint');
    if (sprint.status !== 'active') throw conflict(`the sprint is ${sprint.status}; only an active sprint can complete`);
    const targetId = input.moveUnfinishedTo === 'backlog' ? null : await requireTarget(tx, organizationId, sprint, input.moveUnfinishedTo);
    const velocity = await repository.completedStoryPoints(tx, organizationId, id);
    const changes = { status: 'completed' as const, velocity, completedAt: new Date() };
    const completed = (await repository.updateSprint(tx, organizationId, id, ['active'], changes)) ?? raceLost();
    // Told before the move, while the unfinished tasks' assignees are still the sprint's people.
    await announced(call, tx, completed, 'completed');
    const movedTaskCount = await repository.moveUnfinishedTasks(tx, organizationId, id, targetId);
    return { ...completed, movedTaskCount };
  });
}

/** The sprint that receives the unfinished tasks: another planning or active sprint of the same project. */
async function requireTarget(tx: Tx, organizationId: string, completing: repository.SprintRow, targetId: string): Promise<string> {
  const invalid = (message: string) => new TenantryError('validation_failed', message, [{ path: 'moveUnfinishedTo', message }]);
  if (targetId === completing.id) throw invalid('a sprint cannot take its own unfinished tasks; name another sprint or the backlog');
  const target = found(await repository.findSprint(tx, organizationId, targetId), 'target sprint');
  if (target.projectId !== completing.projectId) throw invalid('the target sprint belongs to another project');
  if (target.status === 'completed') throw conflict(`sprint "${target.name}" is completed and accepts no new tasks; choose a planning sprint or the backlog`);
  return target.id;
}

/**
 * Only a sprint still in planning can be deleted (the table keeps no soft delete, and a started
 * sprint's history feeds velocity); its tasks return to the backlog.
 */
export async function deleteSprint(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  await inTenant(call, async (tx) => {
    await requireAccessVia(tx, call.scope, 'sprint', id, 'write');
    const sprint = found(await repository.findSprint(tx, organizationId, id), 'sprint');
    if (sprint.status !== 'planning') throw conflict(`the sprint is ${sprint.status}; only a planning sprint can be deleted`);
    if (!(await repository.deletePlanningSprint(tx, organizationId, id))) raceLost();
    await announced(call, tx, sprint, 'deleted');
  });
}

/** Tells the sprint's people (start, completion) and the live stream, then hands the sprint back. */
async function announced<T extends { id: string; projectId: string }>(
  call: ServiceCall,
  tx: Tx,
  sprint: T,
  change: Parameters<typeof afterSprintChanged>[3],
): Promise<T> {
  await afterSprintChanged(tx, { organizationId: call.scope.organizationId, actorId: call.scope.userId }, sprint, change);
  return sprint;
}

function conflict(message: string, details?: unknown): TenantryError {
  return new TenantryError('conflict', message, details);
}

/** The sprint changed status between our read and our write. */
function raceLost(): never {
  throw conflict('the sprint changed meanwhile; reload it and try again');
}
