import { and, asc, eq, gt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type ProjectMemberRole, members, projectMembers, users } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

const withUser = {
  id: projectMembers.id,
  organizationId: projectMembers.organizationId,
  projectId: projectMembers.projectId,
  userId: projectMembers.userId,
  role: projectMembers.role,
  name: users.name,
  email: users.email,
  createdAt: projectMembers.createdAt,
  updatedAt: projectMembers.updatedAt,
};

export type ProjectMemberView = {
  id: string;
  organizationId: string;
  projectId: string;
  userId: string;
  role: ProjectMemberRole;
  name: string;
  email: string;
  createdAt: Date;
  updatedAt: Date;
};

const inProject = (organizationId: string, projectId: string) =>
  and(eq(projectMembers.organizationId, organizationId), eq(projectMembers.projectId, projectId));

export async function isOrganizationMember(tx: Tx, organizationId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.userId, userId)));
  return rows.length > 0;
}

export async function listProjectMembers(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { role?: ProjectMemberRole; afterId: string | null; limit: number },
): Promise<ProjectMemberView[]> {
  return tx
    .select(withUser)
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(
      and(
        inProject(organizationId, projectId),
        filter.role ? eq(projectMembers.role, filter.role) : undefined,
        filter.afterId ? gt(projectMembers.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(projectMembers.id))
    .limit(filter.limit + 1);
}

/** Someone on the project, found by their user id: the one id the API uses for a person. */
export async function findProjectMember(
  tx: Tx,
  organizationId: string,
  projectId: string,
  userId: string,
): Promise<ProjectMemberView | undefined> {
  const [row] = await tx
    .select(withUser)
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(inProject(organizationId, projectId), eq(projectMembers.userId, userId)));
  return row;
}

/** Adds a person to a project; already on it is a unique violation (409, naming `userId`). */
export async function insertProjectMember(
  tx: Tx,
  organizationId: string,
  projectId: string,
  values: { userId: string; role: ProjectMemberRole },
): Promise<void> {
  await tx.insert(projectMembers).values({ ...values, id: uuidv7(), organizationId, projectId });
}

export async function updateProjectMemberRole(
  tx: Tx,
  organizationId: string,
  projectId: string,
  userId: string,
  role: ProjectMemberRole,
): Promise<boolean> {
  const rows = await tx
    .update(projectMembers)
    .set({ role })
    .where(and(inProject(organizationId, projectId), eq(projectMembers.userId, userId)))
    .returning({ id: projectMembers.id });
  return rows.length > 0;
}

export async function deleteProjectMember(tx: Tx, organizationId: string, projectId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(projectMembers)
    .where(and(inProject(organizationId, projectId), eq(projectMembers.userId, userId)))
    .returning({ id: projectMembers.id });
  return rows.length > 0;
}
