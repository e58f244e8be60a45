import { type SQL, and, asc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { projects, sprints, tasks } from '../../db/schema/index.js';
import { clearReferences } from '../../db/cleared-references.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateSprintInput, UpdateSprintInput } from './schemas.js';

export type SprintRow = typeof sprints.$inferSelect;
type SprintStatus = SprintRow['status'];

/** Sprints of one organization (the table has no soft delete); RLS checks the tenant again underneath. */
const ofOrganization = (organizationId: string): SQL => eq(sprints.organizationId, organizationId);

/** Joins a sprint to its project, which must be live: a deleted project hides its sprints. */
const ofLiveProject = and(eq(projects.organizationId, sprints.organizationId), eq(projects.id, sprints.projectId), isNull(projects.deletedAt));

export async function findProject(tx: Tx, organizationId: string, projectId: string): Promise<{ id: string } | undefined> {
  const [row] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, projectId), isNull(projects.deletedAt)));
  return row;
}

export async function listSprints(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { status?: SprintStatus; afterId: string | null; limit: number },
): Promise<SprintRow[]> {
  return tx
    .select()
    .from(sprints)
    .where(
      and(
        ofOrganization(organizationId),
        eq(sprints.projectId, projectId),
        filter.status ? eq(sprints.status, filter.status) : undefined,
        filter.afterId ? gt(sprints.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(sprints.id))
    .limit(filter.limit + 1);
}

export async function findSprint(tx: Tx, organizationId: string, id: string): Promise<SprintRow | undefined> {
  const [row] = await tx
    .select({ sprint: sprints })
    .from(sprints)
    .innerJoin(projects, ofLiveProject)
    .where(and(ofOrganization(organizationId), eq(sprints.id, id)));
  return row?.sprint;
}

/** The project's active sprint, if one is running. */
export async function findActiveSprint(tx: Tx, organizationId: string, projectId: string): Promise<SprintRow | undefined> {
  const [row] = await tx
    .select()
    .from(sprints)
    .where(and(ofOrganization(organizationId), eq(sprints.projectId, projectId), eq(sprints.status, 'active')));
  return row;
}

export async function insertSprint(tx: Tx, organizationId: string, projectId: string, input: CreateSprintInput): Promise<SprintRow> {
  const [row] = await tx
    .insert(sprints)
    .values({ ...input, id: uuidv7(), organizationId, projectId })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/**
 * Changes a sprint, but only while it is in one of `inStatus`; a sprint that moved on meanwhile
 * (or never existed) returns undefined.
 */
export async function updateSprint(
  tx: Tx,
  organizationId: string,
  id: string,
  inStatus: readonly SprintStatus[],
  changes: UpdateSprintInput | { status: SprintStatus; velocity?: number; completedAt?: Date },
): Promise<SprintRow | undefined> {
  const [row] = await tx
    .update(sprints)
    .set(changes)
    .where(and(ofOrganization(organizationId), eq(sprints.id, id), inArray(sprints.status, [...inStatus])))
    .returning();
  return row;
}

/** Story points of the sprint's live, done tasks. */
export async function completedStoryPoints(tx: Tx, organizationId: string, sprintId: string): Promise<number> {
  const [row] = await tx
    .select({ points: sql<string>`coalesce(sum(${tasks.storyPoints}), 0)` })
    .from(tasks)
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.sprintId, sprintId), eq(tasks.status, 'done'), isNull(tasks.deletedAt)));
  return Number(row?.points ?? 0);
}

/** Statuses of a task that is finished with, one way or the other; the rest are unfinished. */
const FINISHED_STATUSES = ['done', 'canceled'] as const;

/** Moves the sprint's live, unfinished tasks to another sprint, or to the backlog with null; returns how many moved. */
export async function moveUnfinishedTasks(tx: Tx, organizationId: string, sprintId: string, toSprintId: string | null): Promise<number> {
  const rows = await tx
    .update(tasks)
    .set({ sprintId: toSprintId })
    .where(
      and(
        eq(tasks.organizationId, organizationId),
        eq(tasks.sprintId, sprintId),
        notInArray(tasks.status, [...FINISHED_STATUSES]),
        isNull(tasks.deletedAt),
      ),
    )
    .returning({ id: tasks.id });
  return rows.length;
}

/** Removes a planning sprint for good (the table keeps no soft delete); its tasks return to the backlog. */
export async function deletePlanningSprint(tx: Tx, organizationId: string, id: string): Promise<boolean> {
  const [planning] = await tx
    .select({ id: sprints.id })
    .from(sprints)
    .where(and(ofOrganization(organizationId), eq(sprints.id, id), eq(sprints.status, 'planning')));
  if (!planning) return false;
  await clearReferences(tx, organizationId, 'sprints', [id]);
  const rows = await tx
    .delete(sprints)
    .where(and(ofOrganization(organizationId), eq(sprints.id, id), eq(sprints.status, 'planning')))
    .returning({ id: sprints.id });
  return rows.length > 0;
}
