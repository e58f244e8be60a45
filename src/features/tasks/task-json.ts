import type { Serialized } from '../../http/router.js';
import type { TaskView } from './repository.js';

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/**
 * A task as the API sends it: the fields a client may see and nothing else (not a list's sort
 * value), dates as ISO text, in one object. A page of 50 tasks used to be copied four times on
 * its way out (view, sort value, page, serialize); this is the only copy.
 */
export function taskJson(task: TaskView): Serialized<TaskView> {
  return {
    id: task.id,
    organizationId: task.organizationId,
    projectId: task.projectId,
    projectKey: task.projectKey,
    number: task.number,
    type: task.type,
    epicId: task.epicId,
    sprintId: task.sprintId,
    title: task.title,
    description: task.description,
    acceptanceCriteria: task.acceptanceCriteria,
    status: task.status,
    priority: task.priority,
    storyPoints: task.storyPoints,
    assigneeId: task.assigneeId,
    assignee: task.assignee,
    createdById: task.createdById,
    reporter: task.reporter,
    dueDate: task.dueDate,
    completedAt: iso(task.completedAt),
    position: task.position,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    ref: task.ref,
  };
}
