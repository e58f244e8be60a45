import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertWithinLimit } from '../plans/limits.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateTaskInput, TaskListFilter, UpdateTaskInput } from './schemas.js';

export async function listTasks(call: ServiceCall, projectId: string, filter: TaskListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    const page = await repository.listTasks(tx, organizationId, projectId, {
      ...filter,
      dueBefore: filter.dueBefore === undefined ? undefined : new Date(filter.dueBefore),
      afterId,
    });
    // Tasks come back only from a live project, so only an empty page needs the project looked
    // up to tell "no such project" (404) from "no matching tasks": one round trip saved per page.
    if (page.length === 0) found(await repository.findProject(tx, organizationId, projectId), 'project');
    return page;
  });
  return toPage(rows, filter.limit);
}

export async function getTask(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return found(await inTenant(call, (tx) => repository.findTask(tx, call.scope.organizationId, id)), 'task');
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
    return repository.insertTasks(tx, organizationId, project, userId, inputs);
  });
}

export async function updateTask(call: ServiceCall, id: string, input: UpdateTaskInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const task = found(await repository.findTask(tx, organizationId, id), 'task');
    await assertReferencesExist(tx, organizationId, task.projectId, [input], (_, field) => field);
    return found(await repository.updateTask(tx, organizationId, id, input), 'task');
  });
}

/** Soft delete: the row stays for the audit trail, hidden from every read (its comments too). */
export async function deleteTask(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const changes = { deletedAt: new Date() };
  found(await inTenant(call, (tx) => repository.updateTask(tx, call.scope.organizationId, id, changes)), 'task');
}

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
