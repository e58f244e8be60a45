import { TenantryError } from '../../errors.js';
import { retentionDays } from '../../purge/retention.js';
import { assertWithinLimit } from '../plans/limits.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { RestorableResource } from './resources.js';

/**
 * Brings back a soft-deleted row (admins), while it is within the retention period, its parent
 * is live, and no live row has taken its name, key or slug meanwhile. Restored work counts
 * against the plan again.
 */
export async function restore(call: ServiceCall, resource: RestorableResource, id: string): Promise<void> {
  requirePermission(call, 'deleted:restore');
  const days = retentionDays();
  const { organizationId } = call.scope;
  await inTenant(call, async (tx) => {
    const row = found(await repository.findRow(tx, organizationId, resource, id, days), resource.noun);
    if (row.deletedOn === null) throw conflict(`the ${resource.noun} is not deleted`);
    if (row.expired) {
      throw conflict(`the ${resource.noun} was deleted on ${row.deletedOn}, beyond the ${days}-day retention period; it can no longer be restored`);
    }
    const { parent } = resource;
    if (parent && !(await repository.isLive(tx, organizationId, parent.table, row.values[parent.column]))) {
      throw conflict(`the ${resource.noun}'s ${parent.noun} is deleted; restore the ${parent.noun} first`);
    }
    for (const unique of resource.unique ?? []) {
      const values = [...unique.scope, unique.column].map((column): [string, unknown] => [column, row.values[column]]);
      if (await repository.liveRowHolds(tx, organizationId, resource, id, values)) {
        const message = `a live ${resource.noun} already uses the ${unique.field} "${String(row.values[unique.column])}"; rename one of them first`;
        throw conflict(message, [{ path: unique.field, message }]);
      }
    }
    if (resource.table === 'projects' || resource.table === 'tasks') await assertWithinLimit(tx, organizationId, resource.table);
    await repository.undelete(tx, organizationId, resource, id);
  });
}

function conflict(message: string, details?: unknown): TenantryError {
  return new TenantryError('conflict', message, details);
}
