import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { assertWithinLimit } from '../plans/limits.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import { positionBetween } from './position.js';
import * as repository from './repository.js';
import {
  type BulkUpdateTasksInput,
  type CreateTaskInput,
  type MoveTaskInput,
  type OrgTaskListFilter,
  TASK_REF,
  type TaskListFilter,
  type UpdateTaskInput,
} from './schemas.js';
import { type TaskSort, decodeTaskCursor, encodeTaskCursor, orderOf } from './sort.js';

/** A task id or a reference such as `ACME-7`, as the path carries it. */
export function taskLookup(idOrRef: string): repository.TaskLookup {
  const ref = TASK_REF.exec(idOrRef);
  return ref?.[1] && ref[2] ? { key: ref[1], number: Number(ref[2]) } : { id: idOrRef };
}

/** The filters both lists share, with `me` read as the caller. */
function listOptions(call: ServiceCall, filter: Omit<TaskListFilter, 'q'>, oneProject: boolean) {
  const references = (values: string[] | undefined) =>
    values && {
      ids: values.flatMap((value) => (value === 'none' ? [] : value === 'me' ? [call.scope.userId] : [value])),
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

function toTaskPage(rows: (repository.TaskView & { sortValue: string | null })[], sort: TaskSort, limit: number) {
  const items = rows.slice(0, limit).map(({ sortValue: _sortValue, ...task }) => task);
  const last = rows[limit - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeTaskCursor(sort, { value: last.sortValue, id: last.id }) : null };
}

/** A project's tasks, in the project's order unless another sort is asked for. */
export async function listTasks(call: ServiceCall, projectId: string, filter: TaskListFilter) {
  requirePermission(call, 'read');
  const { organizationId } = call.scope;
  const options = listOptions(call, filter, true);
  const rows = await inTenant(call, async (tx) => {
    const page = await repository.listTasks(tx, organizationId, {
      ...options,
      projectIds: [projectId],
      search: filter.q === undefined ? undefined : { projectId, query: filter.q },
    });
    // Tasks come back only from a live project, so only an empty page needs the project looked
    // up to tell "no such project" (404) from "no matching tasks": one round trip saved per page.
    if (page.length === 0) found(await repository.findProject(tx, organizationId, projectId), 'project');
    return page;
  });
  return toTaskPage(rows, filter.sort, filter.limit);
}

/** Every task of the organization the caller may see (members read them all), across projects. */
export async function listOrganizationTasks(call: ServiceCall, filter: OrgTaskListFilter) {
  requirePermission(call, 'read');
  const options = { ...listOptions(call, filter, filter.projectId?.length === 1), projectIds: filter.projectId };
  const rows = await inTenant(call, (tx) => repository.listTasks(tx, call.scope.organizationId, options));
  return toTaskPage(rows, filter.sort, filter.limit);
}

export async function getTask(call: ServiceCall, idOrRef: string) {
  requirePermission(call, 'read');
  return found(await inTenant(call, (tx) => repository.findTask(tx, call.scope.organizationId, taskLookup(idOrRef))), 'task');
}

/** The id of a live task named by id or reference, for features that hang off tasks (comments, history). */
export async function findTaskId(tx: Tx, organizationId: string, idOrRef: string): Promise<string | undefined> {
  return (await repository.findTask(tx, organizationId, taskLookup(idOrRef)))?.id;
}

export async function createTask(call: ServiceCall, projectId: string, input: CreateTaskInput) {
  const [task] = await createTasks(call, projectId, [input], (_, field) => field);
  return found(task, 'task');
}

/** All or nothing: one transaction, one plan check for the whole batch. */
export async function bulkCreateTasks(call: ServiceCall, projectId: string, inputs: CreateTaskInput[]) {
  return createTasks(call, projectId, inputs, (index, field) => `items.${index}.${field}`);
}

async function createTasks(call: ServiceCall, projectId: string, inputs: CreateTaskInput[], pathOf: PathOf) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    const project = found(await repository.findProject(tx, organizationId, projectId), 'project');
    await assertReferencesExist(tx, organizationId, project.id, inputs, pathOf);
    await assertWithinLimit(tx, organizationId, 'tasks', inputs.length);
    return repository.insertTasks(tx, organizationId, project.id, userId, inputs);
  });
}

export async function updateTask(call: ServiceCall, idOrRef: string, input: UpdateTaskInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const task = found(await repository.findTask(tx, organizationId, taskLookup(idOrRef)), 'task');
    await assertReferencesExist(tx, organizationId, task.projectId, [input], (_, field) => field);
    found((await repository.updateTasks(tx, organizationId, [task.id], input))[0], 'task');
    return found(await repository.findTask(tx, organizationId, { id: task.id }), 'task');
  });
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
    return found(await repository.findTask(tx, organizationId, { id: task.id }), 'task');
  });
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
      await assertReferencesExist(tx, organizationId, projectId, [change], (_, field) => `change.${field}`);
    }
    const changed = await repository.updateTasks(tx, organizationId, unique, change);
    if (changed.length !== unique.length) throw new TenantryError('not_found', 'task not found');
    return repository.findTasks(tx, organizationId, unique);
  });
}

/** Soft delete: the row stays for the audit trail, hidden from every read (its comments too). */
export async function deleteTask(call: ServiceCall, idOrRef: string): Promise<void> {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  await inTenant(call, async (tx) => {
    const task = found(await repository.findTask(tx, organizationId, taskLookup(idOrRef)), 'task');
    await repository.updateTasks(tx, organizationId, [task.id], { deletedAt: new Date() });
  });
}

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
