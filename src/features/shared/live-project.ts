import type { TenantScope } from '../../http/env.js';
import type { Tx } from '../../db/tenant-context.js';
import { type ProjectNeed, requireProjectAccess } from './project-access.js';

/**
 * Throws 404 unless the project exists in this organization, is not soft-deleted and the caller
 * may see it (private projects: its members and the organization's admins); 403 when a project
 * viewer asks to write. Rows that hang off a project (gaps, assets, prompts, predictions) check
 * this first, so a deleted, hidden or another tenant's project answers exactly like a missing
 * one. Returns the project's key.
 */
export async function requireLiveProject(tx: Tx, scope: TenantScope, projectId: string, need: ProjectNeed = 'read'): Promise<{ key: string }> {
  const { key } = await requireProjectAccess(tx, scope, projectId, need);
  return { key };
}
