import { type SQL, and, asc, eq, gt, isNull } from 'drizzle-orm';
import { projectAssets, projects, tasks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Every column a client may see: not the internal storage key, not the soft-delete marker. */
const visible = {
  id: projectAssets.id,
  organizationId: projectAssets.organizationId,
  projectId: projectAssets.projectId,
  taskId: projectAssets.taskId,
  uploadedById: projectAssets.uploadedById,
  fileName: projectAssets.fileName,
  contentType: projectAssets.contentType,
  sizeBytes: projectAssets.sizeBytes,
  checksumSha256: projectAssets.checksumSha256,
  createdAt: projectAssets.createdAt,
  updatedAt: projectAssets.updatedAt,
};

type Row = typeof projectAssets.$inferSelect;
export type AssetView = Omit<Row, 'storageKey' | 'deletedAt'>;

/** Live assets of a live project of one organization: a deleted project hides its files. */
const liveInProject = (organizationId: string, projectId: string): SQL =>
  and(eq(projectAssets.organizationId, organizationId), eq(projectAssets.projectId, projectId), isNull(projectAssets.deletedAt)) as SQL;
const ofLiveProject = and(eq(projects.organizationId, projectAssets.organizationId), eq(projects.id, projectAssets.projectId), isNull(projects.deletedAt));

export async function listAssets(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { afterId: string | null; limit: number; taskId?: string },
): Promise<AssetView[]> {
  return tx
    .select(visible)
    .from(projectAssets)
    .where(
      and(
        liveInProject(organizationId, projectId),
        filter.taskId ? eq(projectAssets.taskId, filter.taskId) : undefined,
        filter.afterId ? gt(projectAssets.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(projectAssets.id))
    .limit(filter.limit + 1);
}

export async function findAsset(tx: Tx, organizationId: string, projectId: string, id: string): Promise<AssetView | undefined> {
  const [row] = await tx
    .select(visible)
    .from(projectAssets)
    .innerJoin(projects, ofLiveProject)
    .where(and(liveInProject(organizationId, projectId), eq(projectAssets.id, id)));
  return row;
}

/** The id of a live task of this project, named by id or by reference (key in any case). */
export async function findTaskOfProject(
  tx: Tx,
  organizationId: string,
  projectId: string,
  lookup: { id: string } | { key: string; number: number },
): Promise<string | undefined> {
  const which = 'id' in lookup ? eq(tasks.id, lookup.id) : and(eq(projects.key, lookup.key.toUpperCase()), eq(tasks.number, lookup.number));
  const [row] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(projects, and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId)))
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.projectId, projectId), isNull(tasks.deletedAt), which));
  return row?.id;
}

export async function insertAsset(
  tx: Tx,
  organizationId: string,
  values: Omit<typeof projectAssets.$inferInsert, 'organizationId' | 'deletedAt' | 'createdAt' | 'updatedAt'> & { id: string },
): Promise<AssetView> {
  const [row] = await tx
    .insert(projectAssets)
    .values({ ...values, organizationId })
    .returning(visible);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function softDeleteAsset(tx: Tx, organizationId: string, projectId: string, id: string): Promise<AssetView | undefined> {
  const [row] = await tx
    .update(projectAssets)
    .set({ deletedAt: new Date() })
    .where(and(liveInProject(organizationId, projectId), eq(projectAssets.id, id)))
    .returning(visible);
  return row;
}
