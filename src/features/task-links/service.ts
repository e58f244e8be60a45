import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireAccessVia } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import { findTaskId } from '../task-history/repository.js';
import { parseIdOrRef } from '../task-history/service.js';
import * as repository from './repository.js';
import type { TaskLinksFilter } from './schemas.js';

/** The commits and pull requests linked to a task: every member who may read the task. */
export async function listTaskLinks(call: ServiceCall, idOrRef: string, filter: TaskLinksFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    const taskId = found(await findTaskId(tx, organizationId, parseIdOrRef(idOrRef)), 'task');
    await requireAccessVia(tx, call.scope, 'task', taskId, 'read');
    return repository.listTaskLinks(tx, organizationId, taskId, { afterId, limit: filter.limit });
  });
  return toPage(rows, filter.limit);
}
