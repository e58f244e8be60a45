import { type SQL, and, asc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { epics, members, projects, sprints, tasks } from '../../db/schema/index.js';
import { PLAN_EACH_CALL } from '../../db/prepared-statements.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateTaskInput, UpdateTaskInput } from './schemas.js';

/** Every column a client may see: not the search vector, not the soft-delete marker. */
const visible = {
  id: tasks.id,
  organizationId: tasks.organizationId,
  projectId: tasks.projectId,
  number: tasks.number,
  type: tasks.type,
  epicId: tasks.epicId,
  sprintId: tasks.sprintId,
  title: tasks.title,
  description: tasks.description,
  acceptanceCriteria: tasks.acceptanceCriteria,
  status: tasks.status,
  priority: tasks.priority,
  storyPoints: tasks.storyPoints,
  assigneeId: tasks.assigneeId,
  createdById: tasks.createdById,
  dueDate: tasks.dueDate,
  completedAt: tasks.completedAt,
  position: tasks.position,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
};
const withKey = { ...visible, projectKey: projects.key };

type VisibleRow = Omit<typeof tasks.$inferSelect, 'searchVector' | 'deletedAt'>;
export type TaskView = VisibleRow & { reference: string };

function toView({ projectKey, ...row }: VisibleRow & { projectKey: string }): TaskView {
  return { ...row, reference: `${projectKey}-${row.number}` };
}

/** Live (not soft-deleted) tasks of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL => and(eq(tasks.organizationId, organizationId), isNull(tasks.deletedAt)) as SQL;

/** Joins a task to its project, which must be live too: a deleted project hides its tasks. */
const ofLiveProject = and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId), isNull(projects.deletedAt));

export async function findProject(tx: Tx, organizationId: string, projectId: string): Promise<{ id: string; key: string } | undefined> {
  const [row] = await tx
    .select({ id: projects.id, key: projects.key })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, projectId), isNull(projects.deletedAt)));
  return row;
}

export type TaskListOptions = {
  status?: TaskView['status'];
  type?: TaskView['type'];
  priority?: TaskView['priority'];
  assigneeId?: string;
  sprintId?: string;
  epicId?: string;
  dueBefore?: Date;
  q?: string;
  afterId: string | null;
  limit: number;
};

export async function listTasks(tx: Tx, organizationId: string, projectId: string, filter: TaskListOptions): Promise<TaskView[]> {
  const rows = await tx
    .select(withKey)
    .from(tasks)
    .innerJoin(projects, ofLiveProject)
    .where(
      and(
        live(organizationId),
        eq(tasks.projectId, projectId),
        filter.status ? eq(tasks.status, filter.status) : undefined,
        filter.type ? eq(tasks.type, filter.type) : undefined,
        filter.priority ? eq(tasks.priority, filter.priority) : undefined,
        filter.assigneeId ? eq(tasks.assigneeId, filter.assigneeId) : undefined,
        filter.sprintId ? eq(tasks.sprintId, filter.sprintId) : undefined,
        filter.epicId ? eq(tasks.epicId, filter.epicId) : undefined,
        filter.dueBefore ? lt(tasks.dueDate, filter.dueBefore) : undefined,
        // Matched by migrations/0008's function, which can use the GIN index that RLS keeps
        // a plain `@@` from; the rows themselves are still read here, under RLS. `= any(array(…))`
        // calls the function exactly once (as `in (select …)` the planner may call it once per
        // task of the project), and planning on each call lets a few matches be fetched by id.
        filter.q ? sql`${tasks.id} = any(array(select app.matching_task_ids(${projectId}, ${filter.q}))) ${sql.raw(PLAN_EACH_CALL)}` : undefined,
        filter.afterId ? gt(tasks.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(tasks.id))
    .limit(filter.limit + 1);
  return rows.map(toView);
}

export async function findTask(tx: Tx, organizationId: string, id: string): Promise<TaskView | undefined> {
  const [row] = await tx
    .select(withKey)
    .from(tasks)
    .innerJoin(projects, ofLiveProject)
    .where(and(live(organizationId), eq(tasks.id, id)));
  return row && toView(row);
}

/** Which of these ids are live epics and sprints of the project, and members of the organization. */
export async function existingReferences(
  tx: Tx,
  organizationId: string,
  projectId: string,
  ids: { epicIds: string[]; sprintIds: string[]; assigneeIds: string[] },
): Promise<{ epicIds: Set<string>; sprintIds: Set<string>; assigneeIds: Set<string> }> {
  const idsOf = async (ask: string[], query: () => Promise<{ id: string }[]>) =>
    new Set(ask.length === 0 ? [] : (await query()).map((row) => row.id));
  const epicIds = await idsOf(ids.epicIds, () =>
    tx
      .select({ id: epics.id })
      .from(epics)
      .where(and(eq(epics.organizationId, organizationId), eq(epics.projectId, projectId), isNull(epics.deletedAt), inArray(epics.id, ids.epicIds))),
  );
  const sprintIds = await idsOf(ids.sprintIds, () =>
    tx
      .select({ id: sprints.id })
      .from(sprints)
      .where(and(eq(sprints.organizationId, organizationId), eq(sprints.projectId, projectId), inArray(sprints.id, ids.sprintIds))),
  );
  const assigneeIds = await idsOf(ids.assigneeIds, () =>
    tx
      .select({ id: members.userId })
      .from(members)
      .where(and(eq(members.organizationId, organizationId), inArray(members.userId, ids.assigneeIds))),
  );
  return { epicIds, sprintIds, assigneeIds };
}

const dateOrNull = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

/**
 * Inserts the tasks in one statement, in the order given; the assign_task_number trigger
 * numbers them one after another within the project.
 */
export async function insertTasks(
  tx: Tx,
  organizationId: string,
  project: { id: string; key: string },
  createdById: string,
  inputs: CreateTaskInput[],
): Promise<TaskView[]> {
  const values = inputs.map(({ dueDate, ...input }) => ({
    ...input,
    dueDate: dateOrNull(dueDate),
    id: uuidv7(),
    organizationId,
    projectId: project.id,
    createdById,
  }));
  const rows = await tx.insert(tasks).values(values).returning(visible);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return values.map((value) => {
    const row = byId.get(value.id);
    if (!row) throw new Error('insert returned fewer rows than it was given');
    return toView({ ...row, projectKey: project.key });
  });
}

export async function updateTask(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: Omit<UpdateTaskInput, 'dueDate'> & { dueDate?: string | null; deletedAt?: Date },
): Promise<TaskView | undefined> {
  const { dueDate, ...rest } = changes;
  const [row] = await tx
    .update(tasks)
    .set({ ...rest, dueDate: dateOrNull(dueDate) })
    .from(projects)
    .where(and(ofLiveProject, live(organizationId), eq(tasks.id, id)))
    .returning(withKey);
  return row && toView(row);
}
