import { type SQL, and, asc, eq, gt, isNotNull, isNull, ne, or } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type ProjectMemberRole, projectMembers, projects } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { ownProjectRow } from '../shared/project-access.js';
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

/** A listed project, with the reader's project role (null when they are not on it). */
export type ListedProjectRow = ProjectRow & { myRole: ProjectMemberRole | null };

/**
 * One page of projects, each with the reader's own project role from the same query, so a
 * client knows what it may do on every project without asking for each one's members.
 */
export async function listProjects(
  tx: Tx,
  organizationId: string,
  filter: {
    status?: ProjectRow['status'];
    includeArchived: boolean;
    /** The reader, whose project role each row carries. */
    userId: string;
    /** Admins and owners see every project; anyone else sees private projects only when on them. */
    seesEveryProject: boolean;
    afterId: string | null;
    limit: number;
  },
): Promise<ListedProjectRow[]> {
  return tx
    .select({ ...visible, myRole: projectMembers.role })
    .from(projects)
    .leftJoin(projectMembers, ownProjectRow(filter.userId))
    .where(
      and(
        live(organizationId),
        filter.status ? eq(projects.status, filter.status) : undefined,
        filter.includeArchived ? undefined : isNull(projects.archivedAt),
        filter.seesEveryProject ? undefined : or(ne(projects.visibility, 'private'), isNotNull(projectMembers.role)),
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
