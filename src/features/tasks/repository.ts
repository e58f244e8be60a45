import { type Column, type SQL, and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { PgDialect, alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { epics, members, projects, sprints, tasks } from '../../db/schema/index.js';
import { PLAN_EACH_CALL } from '../../db/prepared-statements.js';
import type { PipelineResult, PipelineStatement } from '../../db/pipeline.js';
import { type SelectStatement, build, buildWrite, jsonObjectOf, plainStatement, selectStatement } from '../../db/statement.js';
import type { Tx } from '../../db/tenant-context.js';
import type { Serialized } from '../../http/router.js';
import type { CreateTaskInput, UpdateTaskInput } from './schemas.js';
import { type TaskCursor, type TaskOrder, afterCursor, orderBy } from './sort.js';

/*
 * The people a task names, read from the tenant's members (their copy of name and image,
 * migration 0038) rather than from users: the users policy is a function call per joined row,
 * the members policy a one-time filter.
 *
 * They are joined on the organization's value, which the statement binds anyway, not on the
 * task's column. Under RLS each join's inner side carries a one-time filter that a nested loop
 * evaluates again for every task; through the task's column the tasks policy's filter joins the
 * members policy's there, so a page of 51 paid both, twice (README, "Why the list pays most").
 */
const assignee = alias(members, 'assignee');
const reporter = alias(members, 'reporter');
type OrganizationValue = string | ReturnType<typeof sql.placeholder>;
const ofAssignee = (organization: OrganizationValue) => and(eq(assignee.organizationId, organization), eq(assignee.userId, tasks.assigneeId));
const ofReporter = (organization: OrganizationValue) => and(eq(reporter.organizationId, organization), eq(reporter.userId, tasks.createdById));

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
  assignee: { id: assignee.userId, name: assignee.name, image: assignee.image },
  createdById: tasks.createdById,
  reporter: { id: reporter.userId, name: reporter.name, image: reporter.image },
  dueDate: tasks.dueDate,
  completedAt: tasks.completedAt,
  position: tasks.position,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
};

type Row = Awaited<ReturnType<typeof selectTasks>>[number];
export type TaskView = Omit<Row, 'sortValue'> & { ref: string };

/** A task's reference, ACME-7, from its project's key and its number. */
const referenceText = (task: { projectKey: string; number: number }): string => `${task.projectKey}-${task.number}`;

function toView({ sortValue: _sortValue, ...row }: Row): TaskView {
  return { ...row, ref: referenceText(row) };
}

/** Live (not soft-deleted) tasks of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL => and(eq(tasks.organizationId, organizationId), isNull(tasks.deletedAt)) as SQL;

/** Joins a task to its project, which must be live too: a deleted project hides its tasks. */
const ofLiveProject = and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId), isNull(projects.deletedAt));

/** One statement: tasks, their project's key and their people. */
function selectTasks(tx: Tx, organization: OrganizationValue, where: SQL | undefined, sortValue: SQL = sql`null`) {
  return tx
    .select({ ...visible, sortValue: sql<string | null>`${sortValue}` })
    .from(tasks)
    .innerJoin(projects, ofLiveProject)
    .leftJoin(assignee, ofAssignee(organization))
    .leftJoin(reporter, ofReporter(organization))
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
  /** One task by its reference (ACME-7). */
  ref?: { key: string; number: number };
  /** Full-text search, within one project (the search function is per project). */
  search?: { projectId: string; query: string };
  order: TaskOrder;
  after: TaskCursor | null;
  limit: number;
};

const value = sql.placeholder;

/**
 * One condition of a task list: its part of the list's shape, the values it binds, and its SQL
 * with placeholders, built only when a shape is first seen.
 */
type Condition = { shape: string; values: Record<string, unknown>; build: () => SQL | undefined };

/** What one page of a task list filters on, for both ways of sending it: conditions and their values, never SQL text per value. */
function listConditions(organizationId: string, options: TaskListOptions): Condition[] {
  const conditions: Condition[] = [{ shape: 'live', values: { organizationId }, build: () => and(eq(tasks.organizationId, value('organizationId')), isNull(tasks.deletedAt)) }];
  const add = (shape: string, values: Record<string, unknown>, build: () => SQL | undefined) => conditions.push({ shape, values, build });
  // One value as an equality, which the planner can walk an index in order with (a project's
  // list by position); `= any(…)` of a one-element array it cannot.
  const anyOf = (name: string, column: Column, values: string[] | undefined) => {
    if (values?.length === 1) add(`${name}:one`, { [name]: values[0] }, () => eq(column, value(name)));
    else if (values && values.length > 1) add(name, { [name]: values }, () => sql`${column} = any(${value(name)})`);
  };
  const reference = (name: string, column: Column, filter: ReferenceFilter | undefined) => {
    if (!filter) return;
    const some = filter.ids.length > 0;
    add(`${name}:${some ? 'ids' : ''}${filter.none ? 'none' : ''}`, { [name]: filter.ids }, () =>
      or(some ? sql`${column} = any(${value(name)})` : undefined, filter.none ? isNull(column) : undefined),
    );
  };
  anyOf('projectIds', tasks.projectId, options.projectIds);
  anyOf('statuses', tasks.status, options.statuses);
  anyOf('types', tasks.type, options.types);
  anyOf('priorities', tasks.priority, options.priorities);
  reference('assignees', tasks.assigneeId, options.assignees);
  reference('sprints', tasks.sprintId, options.sprints);
  reference('epics', tasks.epicId, options.epics);
  if (options.dueBefore) add('dueBefore', { dueBefore: options.dueBefore }, () => lt(tasks.dueDate, value('dueBefore')));
  if (options.ref) {
    add('ref', { refKey: options.ref.key.toUpperCase(), refNumber: options.ref.number }, () => and(eq(projects.key, value('refKey')), eq(tasks.number, value('refNumber'))));
  }
  const { after, order, search } = options;
  const cursor = { afterValue: after?.value ?? null, afterId: after?.id ?? null };
  if (search) {
    const values = { searchProject: search.projectId, searchQuery: search.query, sort: order.sort, ...cursor, pageSize: options.limit + 1, ...searchFilters(options) };
    add('search', values, matchesSearch);
  }
  if (after) add(after.value === null ? 'after:null' : 'after', cursor, () => afterCursor(order, { value: after.value === null ? null : value('afterValue'), id: value('afterId') }));
  return conditions;
}

/**
 * The list's filters as the page function's arguments (migration 0039): null for a filter not
 * asked for, and for a reference its ids and whether `none` was asked.
 */
function searchFilters(options: TaskListOptions) {
  const reference = (filter: ReferenceFilter | undefined) => ({ ids: filter?.ids ?? null, none: filter?.none ?? false });
  const [assignees, sprints, epics] = [reference(options.assignees), reference(options.sprints), reference(options.epics)];
  return {
    searchStatuses: options.statuses ?? null,
    searchTypes: options.types ?? null,
    searchPriorities: options.priorities ?? null,
    searchAssignees: assignees.ids,
    searchNoAssignee: assignees.none,
    searchSprints: sprints.ids,
    searchNoSprint: sprints.none,
    searchEpics: epics.ids,
    searchNoEpic: epics.none,
    searchDueBefore: options.dueBefore ?? null,
    searchNumber: options.ref?.number ?? null,
  };
}

/**
 * The tasks matching a full-text search, found by the page function of migrations 0027 and
 * 0039, which can use the (project, search vector) GIN index that RLS keeps a plain `@@` from;
 * the rows themselves are still read here, under RLS. The function applies the list's filters,
 * the sort, the cursor and the page size, so only a page of tasks is read; the list's own
 * conditions then hold for that page as they would for every match. `= any(array(…))` calls
 * the function exactly once (as `in (select …)` the planner may call it once per task of the
 * project), and planning on each call lets a few matches be fetched by id.
 */
function matchesSearch(): SQL {
  const page = sql`app.matching_task_page(${value('searchProject')}, ${value('searchQuery')}, ${value('sort')}, ${value('afterValue')}, ${value('afterId')}, ${value('pageSize')},
    ${value('searchStatuses')}::text[], ${value('searchTypes')}::text[], ${value('searchPriorities')}::text[],
    ${value('searchAssignees')}::uuid[], ${value('searchNoAssignee')}, ${value('searchSprints')}::uuid[], ${value('searchNoSprint')},
    ${value('searchEpics')}::uuid[], ${value('searchNoEpic')}, ${value('searchDueBefore')}::date, ${value('searchNumber')}::integer)`;
  return sql`${tasks.id} = any(array(select ${page})) ${sql.raw(PLAN_EACH_CALL)}`;
}

/** A list's conditions as one shape (which conditions, which sort) and the values to bind. */
function listQuery(organizationId: string, options: TaskListOptions) {
  const conditions = listConditions(organizationId, options);
  const { order } = options;
  const values: Record<string, unknown> = { limit: options.limit + 1 };
  for (const condition of conditions) Object.assign(values, condition.values);
  return {
    shape: `${conditions.map((condition) => condition.shape).join(',')}|${order.sort}|${order.byKeyAlone}`,
    values,
    where: () => and(...conditions.map((condition) => condition.build())),
  };
}

/** One page (plus one row, to know whether another follows) of live tasks in the given order. */
export async function listTasks(tx: Tx, organizationId: string, options: TaskListOptions): Promise<(TaskView & { sortValue: string | null })[]> {
  const { values, where } = listQuery(organizationId, options);
  const rows = await selectTasks(tx, value('organizationId'), where(), options.order.key.asText)
    .orderBy(...orderBy(options.order))
    .limit(value('limit'))
    .execute(values);
  return rows.map((row) => ({ ...toView(row), sortValue: row.sortValue }));
}

/*
 * The hot reads as statements for one-round-trip pipelines (`inTenantOnce`): the same
 * selection, joins and conditions as above, built once where their shape is fixed.
 */

const organization = sql.placeholder('organizationId');

/** `selectTasks` for a statement built without a transaction. */
function buildSelectTasks(where: SQL | undefined, sortValue: SQL = sql`null`) {
  return build
    .select({ ...visible, sortValue: sql<string | null>`${sortValue}` })
    .from(tasks)
    .innerJoin(projects, ofLiveProject)
    .leftJoin(assignee, ofAssignee(organization))
    .leftJoin(reporter, ofReporter(organization))
    .where(where);
}

const dialect = new PgDialect();
const taskById = selectStatement<{ organizationId: string; id: string }, Row>(
  buildSelectTasks(and(eq(tasks.organizationId, organization), isNull(tasks.deletedAt), eq(tasks.id, sql.placeholder('id')))),
);
const taskByRef = selectStatement<{ organizationId: string; key: string; number: number }, Row>(
  buildSelectTasks(
    and(eq(tasks.organizationId, organization), isNull(tasks.deletedAt), eq(projects.key, sql.placeholder('key')), eq(tasks.number, sql.placeholder('number'))),
  ),
);
const projectById = selectStatement<{ organizationId: string; id: string }, { id: string; key: string }>(
  build
    .select({ id: projects.id, key: projects.key })
    .from(projects)
    .where(and(eq(projects.organizationId, organization), eq(projects.id, sql.placeholder('id')), isNull(projects.deletedAt))),
);

/** A task as the API sends it (taskJson's keys and values), read straight from a statement's row. */
export type SentTask = Serialized<TaskView>;

/** `findTask` as a pipeline statement, and its answer from the statement's result, as the API sends it. */
export function findTaskStatement(organizationId: string, lookup: TaskLookup) {
  const statement = 'id' in lookup ? taskById.bind({ organizationId, id: lookup.id }) : taskByRef.bind({ organizationId, key: lookup.key.toUpperCase(), number: lookup.number });
  return { statement, read: readFoundTask };
}

/** `findTaskStatement`'s reader: one function for every call, not a closure made per request. */
function readFoundTask(result: PipelineResult | undefined): SentTask | undefined {
  const [row] = taskById.sentRows(result, 'sortValue');
  return row && withRef(row);
}

/** The reference (ACME-7) added in place, last, where taskJson puts it. */
function withRef(row: Omit<SentTask, 'ref'>): SentTask {
  return Object.assign(row, { ref: referenceText(row) });
}

/** `findProject` as a pipeline statement. */
export function findProjectStatement(organizationId: string, projectId: string) {
  return { statement: projectById.bind({ organizationId, id: projectId }), read: (result: PipelineResult | undefined) => projectById.rows(result)[0] };
}

/** Each shape of a project's list, built once on first use (shapes are few: which filters, which sort, which cursor). */
const listStatements = new Map<string, SelectStatement<Record<string, unknown>, Row>>();

/**
 * `listTasks` as a pipeline statement: the query is built with the query builder once per
 * shape, then only bound to new values.
 */
export function listTasksStatement(organizationId: string, options: TaskListOptions) {
  const { shape, values, where } = listQuery(organizationId, options);
  let statement = listStatements.get(shape);
  if (!statement) {
    statement = selectStatement<Record<string, unknown>, Row>(
      buildSelectTasks(where(), options.order.key.asText).orderBy(...orderBy(options.order)).limit(value('limit')),
    );
    listStatements.set(shape, statement);
  }
  const { sentRows, valueAt } = statement;
  // The tasks as the API sends them; the sort value stays out of them, read only for the cursor.
  const read = (result: PipelineResult | undefined) => ({
    tasks: sentRows(result, 'sortValue').map(withRef),
    sortValueAt: (index: number) => valueAt(result, index, 'sortValue') as string | null,
  });
  return { statement: statement.bind(values), read };
}

/** The new task's own values and who creates it: what a one-trip create inserts. */
export type NewTask = CreateTaskInput & { id: string; organizationId: string; projectId: string; createdById: string };

/** Insert statements kept per shape; past this many shapes (bulk creates vary), a statement is built for its call alone. */
const MAX_INSERT_SHAPES = 256;
const insertStatements = new Map<string, ReturnType<typeof plainStatement<Record<string, unknown>>>>();

/**
 * `insertTasks` as one pipeline statement of one or more rows, in the order given (the triggers
 * number and place them in that order), built once per shape: the fields each row gives (the
 * rest take their defaults). Every value is a bound parameter, `<row>:<field>`. An insert of
 * several rows is planned on each call, never prepared: its shapes are countless, and each would
 * take one of a connection's prepared-statement slots, which the hot statements need.
 */
export function insertTasksStatement(rows: NewTask[]) {
  const fieldsOf = (row: NewTask) => (Object.keys(row) as (keyof NewTask)[]).filter((field) => row[field] !== undefined).sort();
  const shapes = rows.map(fieldsOf);
  const shape = shapes.map((fields) => fields.join(',')).join('|');
  let statement = insertStatements.get(shape);
  if (!statement) {
    const placeholders = shapes.map((fields, index) => Object.fromEntries(fields.map((field) => [field, sql.placeholder(`${index}:${field}`)])));
    // Placeholders stand in for the typed values: the builder only reads the names.
    const insert = buildWrite.insert(tasks).values(placeholders as never);
    statement = plainStatement<Record<string, unknown>>(rows.length > 1 ? sql`${insert.getSQL()} ${sql.raw(PLAN_EACH_CALL)}` : insert);
    if (insertStatements.size < MAX_INSERT_SHAPES) insertStatements.set(shape, statement);
  }
  const values: Record<string, unknown> = {};
  for (const [index, fields] of shapes.entries()) for (const field of fields) values[`${index}:${field}`] = rows[index]?.[field];
  return statement.bind(values);
}

/**
 * `findTaskStatement` inside a statement that also writes with the task it reads (named by id,
 * or `by` reference: the placeholders of NAMED_TASK), so the
 * task is read (under RLS) once for both. The read selects the row as `findTaskStatement` does,
 * then one more column, `body`: `body(json)`, where `json` is the task as the API shows it
 * (taskJson's keys and values, the reference included) as a JSON value built by the database.
 * `around` makes the statement of the read and must answer the read's columns first, in order, such as
 * a webhook event recorded with the body, then `select * from` the read
 * (webhooks/repository.ts, recordEventsFromSql).
 */
export function findTaskAroundStatement<TValues extends { organizationId: string }>(body: (json: SQL) => SQL, around: (read: SQL) => SQL, by: keyof typeof NAMED_TASK = 'id') {
  const statement = aroundStatement<TValues>(sql`${tasks.id} = ${NAMED_TASK[by]}`, body, around);
  const read = (result: PipelineResult | undefined): TaskView | undefined => {
    const [row] = statement.rows(result);
    return row && toView(withoutBody(row));
  };
  return { bind: (values: TValues) => statement.bind(values), read };
}

/** `findTaskAroundStatement` for the tasks `ids` (a uuid array), read in the order of `ids`; ids not found are left out. */
export function findTasksAroundStatement<TValues extends { organizationId: string; ids: string[] }>(body: (json: SQL) => SQL, around: (read: SQL) => SQL) {
  const statement = aroundStatement<TValues>(sql`${tasks.id} = any(${sql.placeholder('ids')}::uuid[])`, body, around);
  return { bind: (values: TValues) => statement.bind(values), read: (ids: string[], result: PipelineResult | undefined) => inOrder(ids, statement.rows(result).map(withoutBody)) };
}

function aroundStatement<TValues extends Record<string, unknown>>(which: SQL, body: (json: SQL) => SQL, around: (read: SQL) => SQL) {
  const json = jsonObjectOf({ ...visible, ref: sql`${projects.key} || '-' || ${tasks.number}` });
  const query = build
    .select({ ...visible, sortValue: sql<string | null>`null`, body: sql<string | null>`${body(json)}`.as('body') })
    .from(tasks)
    .innerJoin(projects, ofLiveProject)
    .leftJoin(assignee, ofAssignee(organization))
    .leftJoin(reporter, ofReporter(organization))
    .where(and(eq(tasks.organizationId, organization), isNull(tasks.deletedAt), which));
  return selectStatement<TValues, Row & { body: string | null }>({ toSQL: () => dialect.sqlToQuery(around(query.getSQL())), _: query._ });
}

const withoutBody = ({ body: _body, ...row }: Row & { body: string | null }): Row => row;

/** Rows as tasks in the order of `ids` (a statement's rows come in no promised order). */
function inOrder(ids: string[], rows: Row[]): TaskView[] {
  const byId = new Map(rows.map((row) => [row.id, toView(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const tasksByIds = selectStatement<{ organizationId: string; ids: string[] }, Row>(
  buildSelectTasks(and(eq(tasks.organizationId, organization), isNull(tasks.deletedAt), sql`${tasks.id} = any(${sql.placeholder('ids')}::uuid[])`)),
);

/** `findTasks` as a pipeline statement, and its answer (in the order of `ids`) from the statement's result. */
export function findTasksStatement(organizationId: string, ids: string[]) {
  return { statement: tasksByIds.bind({ organizationId, ids }), read: (result: PipelineResult | undefined) => inOrder(ids, tasksByIds.rows(result)) };
}

/** How a client names a task: its id, or its project key and number (ACME-7). */
export type TaskLookup = { id: string } | { key: string; number: number };

/**
 * The id of the task a pipeline statement is about, as SQL: named by id (placeholder `id`), or
 * by reference, the id that `resolveNamedTaskStatement` put in a transaction-local setting at
 * the pipeline's start (null when nothing matched). Resolved once, not per statement: each
 * statement of a pipeline takes a new snapshot, so a project key changed or a task deleted
 * between two of them would have the later ones name another task, or none.
 */
export const NAMED_TASK = {
  id: sql`${value('id')}::uuid`,
  ref: sql`nullif(current_setting('app.named_task_id', true), '')::uuid`,
} as const;

export type NamedTaskValues = { id: string } | { taskKey: string; taskNumber: number };

/**
 * The pipeline's first statement for a task named by reference (`organizationId`, `taskKey`,
 * `taskNumber`): resolves it as `findTask` does (a live task of a live project, the key in
 * capitals) into NAMED_TASK.ref's setting, which ends with the transaction (migration 0043:
 * a function, so that Citus carries the setting to its workers).
 */
export const resolveNamedTaskStatement = plainStatement<{ organizationId: string; taskKey: string; taskNumber: number }>(
  sql`select app.resolve_named_task(${value('organizationId')}::uuid, ${value('taskKey')}::text, ${value('taskNumber')}::integer)`,
);

/**
 * The statements that name the task `named` before a pipeline's own: none by id, the resolution
 * by reference (NAMED_TASK.ref reads it).
 */
export function namingStatements(organizationId: string, named: NamedTaskValues): PipelineStatement[] {
  return 'id' in named ? [] : [resolveNamedTaskStatement.bind({ organizationId, ...named })];
}

/**
 * The task NAMED_TASK.ref resolved, as a FROM of its own (the task as `t`), for an `insert …
 * select` that writes nothing once the task is no longer live.
 */
export const FROM_NAMED_TASK_REF = sql`from ${tasks} t
  where t.organization_id = ${value('organizationId')}::uuid and t.id = ${NAMED_TASK.ref} and t.deleted_at is null`;

/** Which of NAMED_TASK names the task `lookup`, and the values it binds. */
export function namedTaskValues(lookup: TaskLookup): { by: keyof typeof NAMED_TASK; values: NamedTaskValues } {
  return 'id' in lookup ? { by: 'id', values: { id: lookup.id } } : { by: 'ref', values: { taskKey: lookup.key.toUpperCase(), taskNumber: lookup.number } };
}

export async function findTask(tx: Tx, organizationId: string, lookup: TaskLookup): Promise<TaskView | undefined> {
  const which = 'id' in lookup ? eq(tasks.id, lookup.id) : and(eq(projects.key, lookup.key.toUpperCase()), eq(tasks.number, lookup.number));
  const [row] = await selectTasks(tx, organizationId, and(live(organizationId), which));
  return row && toView(row);
}

/** The tasks with these ids, in the order given (ids not found are left out). */
export async function findTasks(tx: Tx, organizationId: string, ids: string[]): Promise<TaskView[]> {
  if (ids.length === 0) return [];
  return inOrder(ids, await selectTasks(tx, organizationId, and(live(organizationId), inArray(tasks.id, ids))));
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
 * `updateTasks` for one task (by id or by reference, NAMED_TASK) as a pipeline statement, built
 * once per way of naming it and set of fields changed.
 * The cache needs no cap: `UpdateTaskBody` is a strict object, so a shape is a subset of its
 * fields, and the routes that take this path change only a few of them at a time.
 */
const updateStatements = new Map<string, ReturnType<typeof plainStatement<Record<string, unknown>>>>();
export function updateTaskStatement(organizationId: string, lookup: TaskLookup, changes: UpdateTaskInput) {
  const fields = (Object.keys(changes) as (keyof UpdateTaskInput)[]).filter((field) => changes[field] !== undefined).sort();
  const named = namedTaskValues(lookup);
  const shape = `${named.by}:${fields.join(',')}`;
  let statement = updateStatements.get(shape);
  if (!statement) {
    // Placeholders wrapped as SQL, which the builder leaves as they are: a plain value it would
    // run through the column's encoder, which expects a value, not a placeholder.
    const set: Partial<Record<keyof UpdateTaskInput, SQL>> = {};
    for (const field of fields) set[field] = sql`${value(field)}`;
    statement = plainStatement<Record<string, unknown>>(
      buildWrite
        .update(tasks)
        .set(set)
        .from(projects)
        .where(and(ofLiveProject, eq(tasks.organizationId, organization), isNull(tasks.deletedAt), sql`${tasks.id} = ${NAMED_TASK[named.by]}`)),
    );
    updateStatements.set(shape, statement);
  }
  return statement.bind({ ...Object.fromEntries(fields.map((field) => [field, changes[field]])), organizationId, ...named.values });
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
