import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { afterTasksCreated, afterTasksDeleted, afterTasksUpdated } from '../notifications/service.js';
import { assertWithinLimit } from '../plans/limits.js';
import { requireProjectAccess } from '../shared/project-access.js';
import { type ClaimedCall, type ServiceCall, found, inTenant, inTenantOnce, requirePermission, scopedCall } from '../shared/service-call.js';
import { createTaskInOneTrip, createTasksInOneTrip } from './create-in-one-trip.js';
import { deleteTaskInOneTrip, deletesInOneTrip } from './delete-in-one-trip.js';
import { moveTaskInOneTrip, movesInOneTrip } from './move-in-one-trip.js';
import { referenceOf, taskLookup } from './lookup.js';
import { positionBetween } from './position.js';
import { updateTaskInOneTrip } from './update-in-one-trip.js';
import * as repository from './repository.js';
import {
  type BulkUpdateTasksInput,
  type CreateTaskInput,
  type MoveTaskInput,
  type OrgTaskListFilter,
  type TaskListFilter,
  type UpdateTaskInput,
} from './schemas.js';
import { type TaskSort, decodeTaskCursor, encodeTaskCursor, orderOf } from './sort.js';

/** The filters both lists share, with `me` read as the caller. */
function listOptions(userId: string, filter: Omit<TaskListFilter, 'q'>, oneProject: boolean) {
  const references = (values: string[] | undefined) =>
    values && {
      ids: values.flatMap((value) => (value === 'none' ? [] : value === 'me' ? [userId] : [value])),
      none: values.includes('none'),
    };
  return {
    statuses: filter.status,
    types: filter.type,
    priorities: filter.priority,
    assignees: references(filter.assigneeId),
    sprints: references(filter.sprintId),
    epics: references(filter.epicId),
    dueBefore: filter.dueBefore,
    order: orderOf(filter.sort, oneProject),
    after: decodeTaskCursor(filter.sort, filter.cursor),
    limit: filter.limit,
  };
}

/** The first `limit` of `limit + 1` rows, and the cursor after the last of them when more follow. */
function toTaskPage<TItem extends { id: string }>(rows: TItem[], sortValueAt: (index: number) => string | null, sort: TaskSort, limit: number) {
  const items = rows.slice(0, limit);
  const last = rows[limit - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeTaskCursor(sort, { value: sortValueAt(limit - 1), id: last.id }) : null };
}

/**
 * A project's tasks, in the project's order unless another sort is asked for: membership, the
 * page and the project in one round trip.
 */
export async function listTasks(call: ClaimedCall, projectId: string, filter: TaskListFilter) {
  const { organizationId } = call.claim;
  const page = repository.listTasksStatement(organizationId, {
    ...listOptions(call.claim.userId, filter, true),
    projectIds: [projectId],
    search: filter.q === undefined ? undefined : { projectId, query: filter.q },
  });
  // Tasks come back only from a live project, so only an empty page needs the project to tell
  // "no such project" (404) from "no matching tasks".
  const project = repository.findProjectStatement(organizationId, projectId);
  const [rows, projectRow] = await inTenantOnce(call, 'read', [page.statement, project.statement]);
  const { tasks, sortValueAt } = page.read(rows);
  if (tasks.length === 0) found(project.read(projectRow), 'project');
  return toTaskPage(tasks, sortValueAt, filter.sort, filter.limit);
}

/** Every task of the organization the caller may see (members read them all), across projects. */
export async function listOrganizationTasks(call: ServiceCall, filter: OrgTaskListFilter) {
  requirePermission(call, 'read');
  const options = {
    ...listOptions(call.scope.userId, filter, filter.projectId?.length === 1),
    projectIds: filter.projectId,
    ref: filter.ref === undefined ? undefined : referenceOf(filter.ref),
  };
  const rows = await inTenant(call, (tx) => repository.listTasks(tx, call.scope.organizationId, options));
  return toTaskPage(rows, (index) => rows[index]?.sortValue ?? null, filter.sort, filter.limit);
}

/** One task as the API sends it, with the caller's membership checked in the same single round trip. */
export async function getTask(call: ClaimedCall, idOrRef: string) {
  const task = repository.findTaskStatement(call.claim.organizationId, taskLookup(idOrRef));
  const [result] = await inTenantOnce(call, 'read', [task.statement]);
  return found(task.read(result), 'task');
}

/** The id of a live task named by id or reference, for features that hang off tasks (comments, history). */
export async function findTaskId(tx: Tx, organizationId: string, idOrRef: string): Promise<string | undefined> {
  return (await repository.findTask(tx, organizationId, taskLookup(idOrRef)))?.id;
}

export async function createTask(call: ServiceCall, projectId: string, input: CreateTaskInput) {
  const [task] = await createTasks(call, projectId, [input], (_, field) => field);
  return found(task, 'task');
}

/**
 * A create as the route asks for it: in one round trip (see create-in-one-trip.ts), or when a
 * check refused it there, the ordinary create after the membership check, which answers why.
 */
export async function createClaimedTask(call: ClaimedCall, projectId: string, input: CreateTaskInput) {
  const task = await createTaskInOneTrip(call, projectId, input);
  if (task) return task;
  return createTask(await scopedCall(call), projectId, input);
}

/** All or nothing: one transaction, one plan check for the whole batch. */
export async function bulkCreateTasks(call: ServiceCall, projectId: string, inputs: CreateTaskInput[]) {
  return createTasks(call, projectId, inputs, (index, field) => `items.${index}.${field}`);
}

/**
 * A bulk create as the route asks for it: in one round trip (see create-in-one-trip.ts), or
 * when a check refused it there, the ordinary bulk create after the membership check, which
 * names the failing item (`items.3.epicId`).
 */
export async function bulkCreateClaimedTasks(call: ClaimedCall, projectId: string, inputs: CreateTaskInput[]) {
  const created = await createTasksInOneTrip(call, projectId, inputs);
  if (created) return created;
  return bulkCreateTasks(await scopedCall(call), projectId, inputs);
}

async function createTasks(call: ServiceCall, projectId: string, inputs: CreateTaskInput[], pathOf: PathOf) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    const project = found(await repository.findProject(tx, organizationId, projectId), 'project');
    await requireProjectAccess(tx, call.scope, project.id, 'write');
    await assertReferencesExist(tx, organizationId, project.id, inputs, pathOf);
    await assertWithinLimit(tx, organizationId, 'tasks', inputs.length);
    const created = await repository.insertTasks(tx, organizationId, project.id, userId, inputs);
    await afterTasksCreated(tx, { organizationId, actorId: userId }, created);
    return created;
  });
}

export async function updateTask(call: ServiceCall, idOrRef: string, input: UpdateTaskInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const task = found(await repository.findTask(tx, organizationId, taskLookup(idOrRef)), 'task');
    await requireProjectAccess(tx, call.scope, task.projectId, 'write');
    await assertReferencesExist(tx, organizationId, task.projectId, [input], (_, field) => field);
    found((await repository.updateTasks(tx, organizationId, [task.id], input))[0], 'task');
    const updated = found(await repository.findTask(tx, organizationId, { id: task.id }), 'task');
    await afterTasksUpdated(tx, notice(call), [{ before: task, after: updated }]);
    return updated;
  });
}

/**
 * An update as the route asks for it: in one round trip (see update-in-one-trip.ts), or when a
 * check refused it there, the ordinary update after the membership check, which answers why.
 */
export async function updateClaimedTask(call: ClaimedCall, idOrRef: string, input: UpdateTaskInput) {
  const task = await updateTaskInOneTrip(call, idOrRef, input);
  if (task) return task;
  return updateTask(await scopedCall(call), idOrRef, input);
}

/**
 * Places a task right after `afterId` and/or right before `beforeId` (neither: at the end),
 * optionally changing its status: one row written. The project's order lock makes concurrent
 * moves queue, so each one sees the positions the previous one left.
 */
export async function moveTask(call: ServiceCall, idOrRef: string, input: MoveTaskInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const task = found(await repository.findTask(tx, organizationId, taskLookup(idOrRef)), 'task');
    await requireProjectAccess(tx, call.scope, task.projectId, 'write');
    await repository.lockProjectOrder(tx, organizationId, task.projectId);
    const neighbour = async (field: 'afterId' | 'beforeId') => {
      const id = input[field];
      if (!id) return undefined;
      if (id === task.id) throw invalid(field, 'a task cannot be placed next to itself');
      const other = await repository.findTask(tx, organizationId, { id });
      if (!other) throw new TenantryError('not_found', `task not found (${field})`, [{ path: field, message: 'task not found' }]);
      if (other.projectId !== task.projectId) throw invalid(field, 'the neighbour must be in the same project');
      return other.position;
    };
    const afterGiven = await neighbour('afterId');
    const beforeGiven = await neighbour('beforeId');
    const nearest = (side: Parameters<typeof repository.neighbourPosition>[4]) =>
      repository.neighbourPosition(tx, organizationId, task.projectId, task.id, side);
    let after = afterGiven ?? null;
    let before = beforeGiven ?? null;
    if (afterGiven === undefined && beforeGiven === undefined) after = await nearest('last');
    else if (afterGiven === undefined && beforeGiven !== undefined) after = await nearest({ before: beforeGiven });
    else if (afterGiven !== undefined && beforeGiven === undefined) before = await nearest({ after: afterGiven });
    if (after !== null && before !== null && after >= before) throw invalid('beforeId', 'beforeId must come after afterId in the project');
    // A client's view may be stale: when another task now sits between the two neighbours, the
    // task goes right after afterId, between it and whatever follows it now (never onto a taken key).
    if (afterGiven !== undefined && beforeGiven !== undefined) before = await nearest({ after: afterGiven });
    const position = positionBetween(after, before);
    await repository.updateTasks(tx, organizationId, [task.id], { position, ...(input.status ? { status: input.status } : {}) });
    const moved = found(await repository.findTask(tx, organizationId, { id: task.id }), 'task');
    await afterTasksUpdated(tx, notice(call), [{ before: task, after: moved }]);
    return moved;
  });
}

/**
 * A move as the route asks for it: in one round trip (see move-in-one-trip.ts), else, or when a
 * check refused it there, the ordinary move after the membership check, which answers why.
 */
export async function moveClaimedTask(call: ClaimedCall, idOrRef: string, input: MoveTaskInput) {
  if (movesInOneTrip(idOrRef)) {
    const task = await moveTaskInOneTrip(call, idOrRef, input);
    if (task) return task;
  }
  return moveTask(await scopedCall(call), idOrRef, input);
}

/** One change to up to 100 tasks, all or nothing; the audit trigger records each row. */
export async function bulkUpdateTasks(call: ServiceCall, { ids, change }: BulkUpdateTasksInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  const unique = [...new Set(ids)];
  return inTenant(call, async (tx) => {
    const existing = await repository.findTasks(tx, organizationId, unique);
    const foundIds = new Set(existing.map((task) => task.id));
    const missing = ids.findIndex((id) => !foundIds.has(id));
    if (missing >= 0) {
      const path = `ids.${missing}`;
      throw new TenantryError('not_found', `task not found (${path})`, [{ path, message: 'task not found' }]);
    }
    for (const projectId of new Set(existing.map((task) => task.projectId))) {
      await requireProjectAccess(tx, call.scope, projectId, 'write');
      await assertReferencesExist(tx, organizationId, projectId, [change], (_, field) => `change.${field}`);
    }
    const changed = await repository.updateTasks(tx, organizationId, unique, change);
    if (changed.length !== unique.length) throw new TenantryError('not_found', 'task not found');
    const updated = await repository.findTasks(tx, organizationId, unique);
    const before = new Map(existing.map((task) => [task.id, task]));
    await afterTasksUpdated(tx, notice(call), updated.flatMap((after) => {
      const task = before.get(after.id);
      return task ? [{ before: task, after }] : [];
    }));
    return updated;
  });
}

/** Soft delete: the row stays for the audit trail, hidden from every read (its comments too). */
export async function deleteTask(call: ServiceCall, idOrRef: string): Promise<void> {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  await inTenant(call, async (tx) => {
    const task = found(await repository.findTask(tx, organizationId, taskLookup(idOrRef)), 'task');
    await requireProjectAccess(tx, call.scope, task.projectId, 'write');
    await repository.updateTasks(tx, organizationId, [task.id], { deletedAt: new Date() });
    await afterTasksDeleted(tx, notice(call), [task]);
  });
}

/**
 * A delete as the route asks for it: in one round trip (see delete-in-one-trip.ts), else, or
 * when a check refused it there, the ordinary delete after the membership check, which answers why.
 */
export async function deleteClaimedTask(call: ClaimedCall, idOrRef: string): Promise<void> {
  if (deletesInOneTrip(idOrRef) && (await deleteTaskInOneTrip(call, idOrRef))) return;
  await deleteTask(await scopedCall(call), idOrRef);
}

/** Who changed what, for notifications and live events. */
const notice = (call: ServiceCall) => ({ organizationId: call.scope.organizationId, actorId: call.scope.userId });

const invalid = (path: string, message: string) => new TenantryError('validation_failed', `${message} (${path})`, [{ path, message }]);

type PathOf = (index: number, field: string) => string;
type References = Pick<CreateTaskInput, 'epicId' | 'sprintId' | 'assigneeId'>;

/**
 * Every epic and sprint must belong to the task's project (epics live, not deleted) and every
 * assignee must be a member; another tenant's id answers 404 exactly like a missing one,
 * naming the offending field so a bulk caller can find the item.
 */
async function assertReferencesExist(tx: Tx, organizationId: string, projectId: string, inputs: References[], pathOf: PathOf) {
  const idsOf = (field: keyof References) => [...new Set(inputs.flatMap((input) => input[field] ?? []))];
  const existing = await repository.existingReferences(tx, organizationId, projectId, {
    epicIds: idsOf('epicId'),
    sprintIds: idsOf('sprintId'),
    assigneeIds: idsOf('assigneeId'),
  });
  const checks = [
    ['epicId', 'epic', existing.epicIds],
    ['sprintId', 'sprint', existing.sprintIds],
    ['assigneeId', 'assignee', existing.assigneeIds],
  ] as const;
  for (const [index, input] of inputs.entries()) {
    for (const [field, what, ids] of checks) {
      const id = input[field];
      if (id && !ids.has(id)) {
        const path = pathOf(index, field);
        throw new TenantryError('not_found', `${what} not found (${path})`, [{ path, message: `${what} not found` }]);
      }
    }
  }
}

/**
 * Marks tasks done on behalf of an integration, with no acting member ("fixes ACME-7" in a
 * merged pull request). Tasks already done or canceled are left alone. Returns how many changed.
 */
export async function completeTasksForIntegration(tx: Tx, organizationId: string, ids: string[]): Promise<number> {
  const changes: { before: repository.TaskView; after: repository.TaskView }[] = [];
  for (const id of ids) {
    const before = await repository.findTask(tx, organizationId, { id });
    if (!before || before.status === 'done' || before.status === 'canceled') continue;
    await repository.updateTasks(tx, organizationId, [id], { status: 'done' });
    changes.push({ before, after: found(await repository.findTask(tx, organizationId, { id }), 'task') });
  }
  await afterTasksUpdated(tx, { organizationId, actorId: null }, changes);
  return changes.length;
}
