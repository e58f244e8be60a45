import { type SQL, and, asc, eq, gt, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { epics, members, projects, tasks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateEpicInput, UpdateEpicInput } from './schemas.js';

/** Every column a client may see (not the soft-delete marker). */
const visible = {
  id: epics.id,
  organizationId: epics.organizationId,
  projectId: epics.projectId,
  title: epics.title,
  description: epics.description,
  status: epics.status,
  ownerId: epics.ownerId,
  startDate: epics.startDate,
  targetDate: epics.targetDate,
  createdAt: epics.createdAt,
  updatedAt: epics.updatedAt,
};
export type EpicView = Omit<typeof epics.$inferSelect, 'deletedAt'>;

/** Live (not soft-deleted) epics of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL => and(eq(epics.organizationId, organizationId), isNull(epics.deletedAt)) as SQL;

/** Joins an epic to its project, which must be live too: a deleted project hides its epics. */
const ofLiveProject = and(eq(projects.organizationId, epics.organizationId), eq(projects.id, epics.projectId), isNull(projects.deletedAt));

export async function findProject(tx: Tx, organizationId: string, projectId: string): Promise<{ id: string } | undefined> {
  const [row] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, projectId), isNull(projects.deletedAt)));
  return row;
}

export async function isMember(tx: Tx, organizationId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ userId: members.userId })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
  return rows.length > 0;
}

export async function listEpics(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { status?: EpicView['status']; afterId: string | null; limit: number },
): Promise<EpicView[]> {
  return tx
    .select(visible)
    .from(epics)
    .where(
      and(
        live(organizationId),
        eq(epics.projectId, projectId),
        filter.status ? eq(epics.status, filter.status) : undefined,
        filter.afterId ? gt(epics.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(epics.id))
    .limit(filter.limit + 1);
}

export async function findEpic(tx: Tx, organizationId: string, id: string): Promise<EpicView | undefined> {
  const [row] = await tx
    .select(visible)
    .from(epics)
    .innerJoin(projects, ofLiveProject)
    .where(and(live(organizationId), eq(epics.id, id)));
  return row;
}

export async function insertEpic(tx: Tx, organizationId: string, projectId: string, input: CreateEpicInput): Promise<EpicView> {
  const [row] = await tx
    .insert(epics)
    .values({ ...input, id: uuidv7(), organizationId, projectId })
    .returning(visible);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateEpic(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: UpdateEpicInput | { deletedAt: Date },
): Promise<EpicView | undefined> {
  const [row] = await tx
    .update(epics)
    .set(changes)
    .from(projects)
    .where(and(ofLiveProject, live(organizationId), eq(epics.id, id)))
    .returning(visible);
  return row;
}

/** Takes the epic off its tasks, so no live task points at a deleted epic. */
export async function detachTasks(tx: Tx, organizationId: string, epicId: string): Promise<void> {
  await tx
    .update(tasks)
    .set({ epicId: null })
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.epicId, epicId)));
}
