import { type SQL, and, asc, eq, gt, isNull } from 'drizzle-orm';
import { gaps, projects } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Every column a client may see: not the soft-delete marker. */
const visible = {
  id: gaps.id,
  organizationId: gaps.organizationId,
  projectId: gaps.projectId,
  title: gaps.title,
  description: gaps.description,
  gapType: gaps.gapType,
  severity: gaps.severity,
  status: gaps.status,
  rootCauseAnalysis: gaps.rootCauseAnalysis,
  impact: gaps.impact,
  recommendations: gaps.recommendations,
  identifiedById: gaps.identifiedById,
  resolvedAt: gaps.resolvedAt,
  createdAt: gaps.createdAt,
  updatedAt: gaps.updatedAt,
};

type Row = typeof gaps.$inferSelect;
export type GapView = Omit<Row, 'deletedAt'>;
export type GapValues = Partial<Omit<typeof gaps.$inferInsert, 'id' | 'organizationId' | 'projectId' | 'identifiedById' | 'createdAt' | 'updatedAt'>>;

/** Live gaps of one organization whose project is live too: a deleted project hides its gaps. */
const live = (organizationId: string): SQL => and(eq(gaps.organizationId, organizationId), isNull(gaps.deletedAt)) as SQL;
const ofLiveProject = and(eq(projects.organizationId, gaps.organizationId), eq(projects.id, gaps.projectId), isNull(projects.deletedAt));

export async function listGaps(
  tx: Tx,
  organizationId: string,
  projectId: string,
  filter: { status?: Row['status']; severity?: Row['severity']; gapType?: Row['gapType']; afterId: string | null; limit: number },
): Promise<GapView[]> {
  return tx
    .select(visible)
    .from(gaps)
    .where(
      and(
        live(organizationId),
        eq(gaps.projectId, projectId),
        filter.status ? eq(gaps.status, filter.status) : undefined,
        filter.severity ? eq(gaps.severity, filter.severity) : undefined,
        filter.gapType ? eq(gaps.gapType, filter.gapType) : undefined,
        filter.afterId ? gt(gaps.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(gaps.id))
    .limit(filter.limit + 1);
}

/** `forUpdate` locks the row, so two status changes cannot both start from the same status. */
export async function findGap(tx: Tx, organizationId: string, id: string, forUpdate = false): Promise<GapView | undefined> {
  const query = tx
    .select(visible)
    .from(gaps)
    .innerJoin(projects, ofLiveProject)
    .where(and(live(organizationId), eq(gaps.id, id)));
  const [row] = forUpdate ? await query.for('update', { of: gaps }) : await query;
  return row;
}

export async function insertGap(
  tx: Tx,
  organizationId: string,
  values: GapValues & Pick<Row, 'id' | 'projectId' | 'identifiedById' | 'title' | 'gapType'>,
): Promise<GapView> {
  const [row] = await tx
    .insert(gaps)
    .values({ ...values, organizationId })
    .returning(visible);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateGap(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: GapValues,
): Promise<GapView | undefined> {
  const [row] = await tx
    .update(gaps)
    .set(changes)
    .where(and(live(organizationId), eq(gaps.id, id)))
    .returning(visible);
  return row;
}
