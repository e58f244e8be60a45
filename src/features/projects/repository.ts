import { type SQL, and, sql, asc, eq, exists, gt, isNull, ne, or } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { projectMembers, projects } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateProjectInput, UpdateProjectInput } from './schemas.js';

/** What reads return: every column but deleted_at, which only the restore path reads. */
const visible = {
  id: projects.id,
  organizationId: projects.organizationId,
  name: projects.name,
  key: projects.key,
  description: projects.description,
  status: projects.status,
  visibility: projects.visibility,
  ownerId: projects.ownerId,
  createdById: projects.createdById,
  startDate: projects.startDate,
  endDate: projects.endDate,
  settings: projects.settings,
  archivedAt: projects.archivedAt,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
};
export type ProjectRow = Omit<typeof projects.$inferSelect, 'deletedAt'>;

/** Live (not soft-deleted) projects of one organization; RLS checks the tenant again underneath. */
const live = (organizationId: string): SQL =>
  and(eq(projects.organizationId, organizationId), isNull(projects.deletedAt)) as SQL;

/** The user's row on the project of the outer query. */
const membership = (userId: string) =>
  sql`(select from ${projectMembers} where ${projectMembers.organizationId} = ${projects.organizationId}
        and ${projectMembers.projectId} = ${projects.id} and ${projectMembers.userId} = ${userId})`;

export async function listProjects(
  tx: Tx,
  organizationId: string,
  filter: {
    status?: ProjectRow['status'];
    includeArchived: boolean;
    /** Leaves out private projects this user is not on; null for admins, who see them all. */
    visibleTo: string | null;
    afterId: string | null;
    limit: number;
  },
): Promise<ProjectRow[]> {
  return tx
    .select(visible)
    .from(projects)
    .where(
      and(
        live(organizationId),
        filter.status ? eq(projects.status, filter.status) : undefined,
        filter.includeArchived ? undefined : isNull(projects.archivedAt),
        filter.visibleTo === null ? undefined : or(ne(projects.visibility, 'private'), exists(membership(filter.visibleTo))),
        filter.afterId ? gt(projects.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(projects.id))
    .limit(filter.limit + 1);
}

export async function findProject(tx: Tx, organizationId: string, id: string): Promise<ProjectRow | undefined> {
  const [row] = await tx.select(visible).from(projects).where(and(live(organizationId), eq(projects.id, id)));
  return row;
}

export async function insertProject(
  tx: Tx,
  organizationId: string,
  createdById: string,
  input: CreateProjectInput,
): Promise<ProjectRow> {
  const [row] = await tx
    .insert(projects)
    .values({ ...input, id: uuidv7(), organizationId, createdById, ownerId: input.ownerId ?? createdById })
    .returning(visible);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateProject(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: UpdateProjectInput & { archivedAt?: Date | null; deletedAt?: Date },
): Promise<ProjectRow | undefined> {
  const [row] = await tx
    .update(projects)
    .set(changes)
    .where(and(live(organizationId), eq(projects.id, id)))
    .returning(visible);
  return row;
}

/** Puts the creator of a private project on it as its lead, so that they keep seeing it. */
export async function insertLead(tx: Tx, organizationId: string, projectId: string, userId: string): Promise<void> {
  await tx
    .insert(projectMembers)
    .values({ id: uuidv7(), organizationId, projectId, userId, role: 'lead' })
    .onConflictDoUpdate({ target: [projectMembers.organizationId, projectMembers.projectId, projectMembers.userId], set: { role: 'lead' } });
}
