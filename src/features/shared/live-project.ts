import { and, eq, isNull } from 'drizzle-orm';
import { projects } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';

/**
 * Throws 404 unless the project exists in this organization and is not soft-deleted. Rows that
 * hang off a project (gaps, assets, prompts, predictions) check this first, so a deleted or
 * another tenant's project answers exactly like a missing one.
 */
export async function requireLiveProject(tx: Tx, organizationId: string, projectId: string): Promise<void> {
  const [row] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, projectId), isNull(projects.deletedAt)));
  if (!row) throw new TenantryError('not_found', 'project not found');
}
