import { type SQL, and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { epics, members, projects, sprints, tasks, users } from '../../db/schema/index.js';
import { PLAN_EACH_CALL } from '../../db/prepared-statements.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateTaskInput, UpdateTaskInput } from './schemas.js';
import { type TaskCursor, type TaskOrder, afterCursor, orderBy } from './sort.js';

const assignee = alias(users, 'assignee');
const reporter = alias(users, 'reporter');

/**
 * Every column a client may see (not the search vector, not the soft-delete marker), with the
 * project's key and the people the task names, read in the same statement.
 */
const visible = {
  id: tasks.id,
  organizationId: tasks.organizationId,
  projectId: tasks.projectId,
  projectKey: projects.key,
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
  assignee: { id: assignee.id, name: assignee.name, image: assignee.image },
  createdById: tasks.createdById,
  reporter: { id: reporter.id, name: reporter.name, image: reporter.image },
  dueDate: tasks.dueDate,
  completedAt: tasks.completedAt,
  position: tasks.position,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
};

type Row = Awaited<ReturnType<typeof selectTasks>>[number];
export type TaskView = Omit<Row, 'sortValue'> & { ref: string };

function toView({ sortValue: _sortValue, ...row }: Row): TaskView {
  return { ...row, ref: `${row.projectKey}-${row.number}` };
}

/** Live (not soft-deleted) tasks of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL => and(eq(tasks.organizationId, organizationId), isNull(tasks.deletedAt)) as SQL;

/** Joins a task to its project, which must be live too: a deleted project hides its tasks. */
const ofLiveProject = and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId), isNull(projects.deletedAt));

/** One statement: tasks, their project's key and their people (users the policy on users lets the tenant see). */
function selectTasks(tx: Tx, where: SQL | undefined, sortValue: SQL = sql`null`) {
  return tx
    .select({ ...visible, sortValue: sql<string | null>`${sortValue}` })
    .from(tasks)
    .innerJoin(projects, ofLiveProject)
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeId))
    .leftJoin(reporter, eq(reporter.id, tasks.createdById))
    .where(where);
}

export async function findProject(tx: Tx, organizationId: string, projectId: string): Promise<{ id: string; key: string } | undefined> {
  const [row] = await tx
    .select({ id: projects.id, key: projects.key })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, projectId), isNull(projects.deletedAt)));
  return row;
}

/** A filter on an optional reference: any of these ids, or (with `none`) no reference at all. */
export type ReferenceFilter = { ids: string[]; none: boolean };

export type TaskListOptions = {
  projectIds?: string[];
  statuses?: TaskView['status'][];
  types?: TaskView['type'][];
  priorities?: TaskView['priority'][];
  assignees?: ReferenceFilter;
  sprints?: ReferenceFilter;
  epics?: ReferenceFilter;
  dueBefore?: string;
  /** Full-text search, within one project (the search function is per project). */
  search?: { projectId: string; query: string };
  order: TaskOrder;
  after: TaskCursor | null;
  limit: number;
};

const anyOf = <T extends string>(column: Parameters<typeof inArray>[0], values: T[] | undefined) =>
  values && values.length > 0 ? inArray(column, values) : undefined;

function matchesReference(column: typeof tasks.assigneeId | typeof tasks.sprintId | typeof tasks.epicId, filter: ReferenceFilter | undefined): SQL | undefined {
  if (!filter) return undefined;
  return or(filter.ids.length > 0 ? inArray(column, filter.ids) : undefined, filter.none ? isNull(column) : undefined);
}

/** One page (plus one row, to know whether another follows) of live tasks in the given order. */
export async function listTasks(tx: Tx, organizationId: string, options: TaskListOptions): Promise<(TaskView & { sortValue: string | null })[]> {
  const { search } = options;
  const rows = await selectTasks(
    tx,
    and(
      live(organizationId),
      anyOf(tasks.projectId, options.projectIds),
      anyOf(tasks.status, options.statuses),
      anyOf(tasks.type, options.types),
      anyOf(tasks.priority, options.priorities),
      matchesReference(tasks.assigneeId, options.assignees),
      matchesReference(tasks.sprintId, options.sprints),
      matchesReference(tasks.epicId, options.epics),
      options.dueBefore ? lt(tasks.dueDate, options.dueBefore) : undefined,
      // Matched by migrations/0008's function, which can use the GIN index that RLS keeps
      // a plain `@@` from; the rows themselves are still read here, under RLS. `= any(array(…))`
      // calls the function exactly once (as `in (select …)` the planner may call it once per
      // task of the project), and planning on each call lets a few matches be fetched by id.
      search
        ? sql`${tasks.id} = any(array(select app.matching_task_ids(${search.projectId}, ${search.query}))) ${sql.raw(PLAN_EACH_CALL)}`
        : undefined,
      options.after ? afterCursor(options.order, options.after) : undefined,
    ),
    options.order.key.asText,
  )
    .orderBy(...orderBy(options.order))
    .limit(options.limit + 1);
  return rows.map((row) => ({ ...toView(row), sortValue: row.sortValue }));
}

/** How a client names a task: its id, or its project key and number (ACME-7). */
export type TaskLookup = { id: string } | { key: string; number: number };

export async function findTask(tx: Tx, organizationId: string, lookup: TaskLookup): Promise<TaskView | undefined> {
  const which = 'id' in lookup ? eq(tasks.id, lookup.id) : and(eq(projects.key, lookup.key.toUpperCase()), eq(tasks.number, lookup.number));
  const [row] = await selectTasks(tx, and(live(organizationId), which));
  return row && toView(row);
}

/** The tasks with these ids, in the order given (ids not found are left out). */
export async function findTasks(tx: Tx, organizationId: string, ids: string[]): Promise<TaskView[]> {
  if (ids.length === 0) return [];
  const rows = await selectTasks(tx, and(live(organizationId), inArray(tasks.id, ids)));
  const byId = new Map(rows.map((row) => [row.id, toView(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
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

/**
 * Inserts the tasks in one statement, in the order given; the assign_task_number and
 * assign_task_position triggers number them one after another and append them to the project.
 */
export async function insertTasks(
  tx: Tx,
  organizationId: string,
  projectId: string,
  createdById: string,
  inputs: CreateTaskInput[],
): Promise<TaskView[]> {
  const values = inputs.map((input) => ({ ...input, id: uuidv7(), organizationId, projectId, createdById }));
  await tx.insert(tasks).values(values);
  return findTasks(tx, organizationId, values.map((value) => value.id));
}

export type TaskChanges = UpdateTaskInput & { deletedAt?: Date; position?: string };

/** Changes live tasks of a live project; answers the ids it changed. */
export async function updateTasks(tx: Tx, organizationId: string, ids: string[], changes: TaskChanges): Promise<string[]> {
  const rows = await tx
    .update(tasks)
    .set(changes)
    .from(projects)
    .where(and(ofLiveProject, live(organizationId), inArray(tasks.id, ids)))
    .returning({ id: tasks.id });
  return rows.map((row) => row.id);
}

/**
 * Queues moves and inserts within one project until this transaction ends: the same lock the
 * insert triggers take (migrations 0003 and 0010), so two writers never pick the same position.
 */
export async function lockProjectOrder(tx: Tx, organizationId: string, projectId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tasks:${organizationId}:${projectId}`}, 0))`);
}

/**
 * The positions around a slot in a project's order, leaving out the task being moved: the
 * nearest live task after `position` (or before it), or the last one when `position` is null.
 */
export async function neighbourPosition(
  tx: Tx,
  organizationId: string,
  projectId: string,
  movingId: string,
  side: { after: string } | { before: string } | 'last',
): Promise<string | null> {
  const position = sql`${tasks.position} collate "C"`;
  const [bound, direction] =
    side === 'last' ? [undefined, sql`desc`]
      : 'after' in side ? [sql`${position} > ${side.after}::text collate "C"`, sql`asc`]
        : [sql`${position} < ${side.before}::text collate "C"`, sql`desc`];
  const [row] = await tx
    .select({ position: tasks.position })
    .from(tasks)
    .where(and(live(organizationId), eq(tasks.projectId, projectId), sql`${tasks.id} <> ${movingId}`, bound))
    .orderBy(sql`${position} ${direction}`)
    .limit(1);
  return row?.position ?? null;
}
