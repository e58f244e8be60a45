import type { Database } from '../../src/db/connection.js';

/**
 * The organizations a benchmark aims at, with everything its queries need. Read as the
 * connecting superuser, so RLS does not apply to the look-up itself.
 */
export type OrgTarget = {
  /** Why this organization: `largest`, `median`, or `near-N` (the one closest to N tasks). */
  label: string;
  organizationId: string;
  slug: string;
  tasks: number;
  /** The organization's largest project: the list and search queries run there. */
  projectId: string;
  projectTasks: number;
  /** The list query's status filter: the open status with the most tasks in that project. */
  status: 'todo' | 'in_progress' | 'in_review' | 'done' | 'canceled';
  statusTasks: number;
  /** Tasks to fetch by id, in rotation, so no single row stays hot. */
  taskIds: string[];
  /** A word the scale seed puts in a few percent of task titles and descriptions. */
  searchWord: string;
  auditRows: number;
};

export type TargetChoice = 'largest' | 'median' | { near: number };

const SEARCH_WORD = 'checkout';
const TASK_ID_SAMPLE = 64;

export async function findTargets(db: Database, choices: readonly TargetChoice[]): Promise<OrgTarget[]> {
  const sizes = await db.query<{ organization_id: string; slug: string; tasks: number }>(
    `select t.organization_id, o.slug, count(*)::int as tasks
       from tasks t join organizations o on o.id = t.organization_id
      where t.deleted_at is null
      group by 1, 2
      order by tasks desc, o.slug`,
  );
  if (sizes.length === 0) throw new Error('the dataset has no tasks');
  const targets: OrgTarget[] = [];
  for (const choice of choices) {
    const picked =
      choice === 'largest'
        ? sizes[0]
        : choice === 'median'
          ? sizes[Math.floor(sizes.length / 2)]
          : [...sizes].sort((a, b) => Math.abs(a.tasks - choice.near) - Math.abs(b.tasks - choice.near))[0];
    if (!picked) throw new Error('no organization to pick');
    const label = typeof choice === 'string' ? choice : `near-${choice.near}`;
    targets.push(await describe(db, label, picked));
  }
  return targets;
}

async function describe(db: Database, label: string, org: { organization_id: string; slug: string; tasks: number }): Promise<OrgTarget> {
  const [project] = await db.query<{ project_id: string; tasks: number }>(
    `select project_id, count(*)::int as tasks from tasks
      where organization_id = $1 and deleted_at is null
      group by 1 order by 2 desc, 1 limit 1`,
    [org.organization_id],
  );
  if (!project) throw new Error(`organization ${org.slug} has no project with tasks`);
  const [open] = await db.query<{ status: OrgTarget['status']; tasks: number }>(
    `select status, count(*)::int as tasks from tasks
      where organization_id = $1 and project_id = $2 and deleted_at is null and status not in ('done', 'canceled')
      group by 1 order by 2 desc, 1 limit 1`,
    [org.organization_id, project.project_id],
  );
  const ids = await db.query<{ id: string }>(
    `select id from tasks where organization_id = $1 and deleted_at is null order by md5(id::text) limit ${TASK_ID_SAMPLE}`,
    [org.organization_id],
  );
  const [audit] = await db.query<{ n: number }>('select count(*)::int as n from audit_logs where organization_id = $1', [org.organization_id]);
  return {
    label,
    organizationId: org.organization_id,
    slug: org.slug,
    tasks: org.tasks,
    projectId: project.project_id,
    projectTasks: project.tasks,
    status: open?.status ?? 'todo',
    statusTasks: open?.tasks ?? 0,
    taskIds: ids.map((row) => row.id),
    searchWord: SEARCH_WORD,
    auditRows: audit?.n ?? 0,
  };
}

/** Round-robin over a non-empty list. */
export function rotation<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to rotate over');
  let next = 0;
  return () => {
    const item = items[next % items.length];
    next++;
    if (item === undefined) throw new Error('rotation index out of range');
    return item;
  };
}
