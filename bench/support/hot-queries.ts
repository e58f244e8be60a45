import * as auditLogs from '../../src/features/audit-logs/repository.js';
import * as tasks from '../../src/features/tasks/repository.js';
import { orderOf } from '../../src/features/tasks/sort.js';
import type { Tx } from '../../src/db/tenant-context.js';
import { type OrgTarget, rotation } from './targets.js';

/** The page size the benchmarks ask for: the API's typical first page. */
export const PAGE = 50;

/** One hot read, issued through the repository exactly as the services issue it. */
export type HotQuery = { name: string; describe: string; run: (tx: Tx) => Promise<unknown> };

/**
 * The reads behind the busiest endpoints: a project's tasks by status (first page), one task
 * by id, full-text search in a project's tasks, the organization's audit log (first page).
 */
export function hotQueries(target: OrgTarget): HotQuery[] {
  const org = target.organizationId;
  const nextId = rotation(target.taskIds);
  return [
    {
      name: 'tasks.list',
      describe: `project's tasks, status=${target.status}, first ${PAGE}`,
      run: (tx) => tasks.listTasks(tx, org, { projectIds: [target.projectId], statuses: [target.status], order: orderOf('position', true), after: null, limit: PAGE }),
    },
    {
      name: 'tasks.get',
      describe: 'one task by id (rotating over 64 ids)',
      run: (tx) => tasks.findTask(tx, org, { id: nextId() }),
    },
    {
      name: 'tasks.search',
      describe: `full-text q="${target.searchWord}" in the project, first ${PAGE}`,
      run: (tx) => tasks.listTasks(tx, org, {
        projectIds: [target.projectId], search: { projectId: target.projectId, query: target.searchWord }, order: orderOf('position', true), after: null, limit: PAGE,
      }),
    },
    {
      name: 'audit.list',
      describe: `organization's audit log, newest first ${PAGE}`,
      run: (tx) => auditLogs.listAuditLogs(tx, org, { after: null, limit: PAGE }),
    },
  ];
}
