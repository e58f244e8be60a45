import { and, asc, desc, eq, getTableColumns, isNull } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.js';
import { auditLogs, projects, tasks } from '../../src/db/schema/index.js';
import type { Tx } from '../../src/db/tenant-context.js';
import * as auditRepository from '../../src/features/audit-logs/repository.js';
import * as taskRepository from '../../src/features/tasks/repository.js';
import { orderOf } from '../../src/features/tasks/sort.js';
import { PAGE } from './hot-queries.js';
import type { OrgTarget } from './targets.js';

/** One page of a listing, fetched two ways: the API's keyset cursor, and OFFSET for comparison. */
export type DeepPage = {
  listing: string;
  page: number;
  rowsBefore: number;
  keyset: (tx: Tx) => Promise<unknown[]>;
  offset: (tx: Tx) => Promise<unknown[]>;
};

/**
 * Pages 1, 100 and 1,000 (those the listing has; otherwise its last page) of the organization's
 * audit log and of its largest project's tasks with the most common status. Keyset pages call
 * the repository with the cursor the previous page would have returned; offset pages run the
 * same SELECT with OFFSET instead of the cursor condition.
 */
export async function deepPages(db: Database, target: OrgTarget, wanted: readonly number[] = [1, 100, 1_000]): Promise<DeepPage[]> {
  const org = target.organizationId;
  const [done] = await db.query<{ status: OrgTarget['status']; n: number }>(
    `select status, count(*)::int as n from tasks where organization_id = $1 and project_id = $2 and deleted_at is null
      group by 1 order by 2 desc limit 1`,
    [org, target.projectId],
  );
  const status = done?.status ?? 'done';
  const pages: DeepPage[] = [];

  for (const page of pagesWithin(target.auditRows, wanted)) {
    const rowsBefore = (page - 1) * PAGE;
    const [cursor] = rowsBefore === 0 ? [] : await db.query<{ at: string; id: string }>(
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id::text as id
         from audit_logs where organization_id = $1 order by created_at desc, id desc offset $2 limit 1`,
      [org, rowsBefore - 1],
    );
    pages.push({
      listing: 'audit.list',
      page,
      rowsBefore,
      keyset: (tx) => auditRepository.listAuditLogs(tx, org, { after: cursor ?? null, limit: PAGE }),
      offset: (tx) =>
        tx.select().from(auditLogs).where(eq(auditLogs.organizationId, org))
          .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id)).limit(PAGE + 1).offset(rowsBefore),
    });
  }

  for (const page of pagesWithin(done?.n ?? 0, wanted)) {
    const rowsBefore = (page - 1) * PAGE;
    const [cursor] = rowsBefore === 0 ? [] : await db.query<{ value: string; id: string }>(
      `select position as value, id::text as id from tasks where organization_id = $1 and project_id = $2 and status = $3 and deleted_at is null
        order by position, id offset $4 limit 1`,
      [org, target.projectId, status, rowsBefore - 1],
    );
    pages.push({
      listing: `tasks.list status=${status}`,
      page,
      rowsBefore,
      keyset: (tx) => taskRepository.listTasks(tx, org, {
        projectIds: [target.projectId], statuses: [status], order: orderOf('position', true), after: cursor ?? null, limit: PAGE,
      }),
      offset: (tx) =>
        tx.select({ ...visibleTaskColumns, projectKey: projects.key }).from(tasks)
          .innerJoin(projects, and(eq(projects.organizationId, tasks.organizationId), eq(projects.id, tasks.projectId), isNull(projects.deletedAt)))
          .where(and(eq(tasks.organizationId, org), isNull(tasks.deletedAt), eq(tasks.projectId, target.projectId), eq(tasks.status, status)))
          .orderBy(asc(tasks.position), asc(tasks.id)).limit(PAGE + 1).offset(rowsBefore),
    });
  }
  return pages;
}

/** What the repository returns for a task (not the search vector, not the soft-delete marker), so both variants read the same bytes. */
const hiddenTaskColumns = new Set(['searchVector', 'deletedAt']);
const visibleTaskColumns = Object.fromEntries(Object.entries(getTableColumns(tasks)).filter(([key]) => !hiddenTaskColumns.has(key)));

/** The wanted pages a listing of `rows` rows has; the last page stands in for the deeper ones. */
function pagesWithin(rows: number, wanted: readonly number[]): number[] {
  const last = Math.max(1, Math.ceil(rows / PAGE));
  return [...new Set(wanted.map((page) => Math.min(page, last)))];
}
