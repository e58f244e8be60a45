import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { noticesOf } from '../../../test/support/notices.js';
import { allTaskPages } from '../../../test/support/task-pages.js';
import { ROLES } from '../../db/roles.js';
import { taskPriorities, taskStatuses, taskTypes } from '../../db/schema/index.js';
import { listTasksStatement } from './repository.js';
import { TASK_SORTS, orderOf } from './sort.js';

/**
 * A search with other filters gets them applied inside the page function (migration 0039),
 * before its sort, cursor and page size. Every page must hold what the same filtered list
 * without a search holds, keeping only the tasks that match the word.
 */
describe('task search with other filters', () => {
  let h: ApiHarness;
  let path: string;
  let matching: Set<string>;
  const filters: string[] = [];

  beforeAll(async () => {
    h = await createApiHarness();
    const { member, owner } = h.tenantA.actors;
    const org = `/api/v1/orgs/${h.tenantA.organizationId}`;
    const project = await h.request(member, 'POST', `${org}/projects`, { name: 'Filtered', key: 'FILT' });
    const projectId = ((await project.json()) as { id: string }).id;
    path = `${org}/projects/${projectId}/tasks`;
    const made = async (kind: string, body: object) => ((await (await h.request(member, 'POST', `${org}/projects/${projectId}/${kind}`, body)).json()) as { id: string }).id;
    const sprint = await made('sprints', { name: 'Sprint 1' });
    const epic = await made('epics', { title: 'Epic 1' });
    // Every value of every filter, spread so that matches and others share each of them.
    const items = Array.from({ length: 60 }, (_, i) => ({
      title: i % 2 === 0 ? `Invoice run ${i}` : `Catalog page ${i}`,
      status: taskStatuses[i % taskStatuses.length],
      type: taskTypes[Math.floor(i / 2) % taskTypes.length],
      priority: taskPriorities[Math.floor(i / 3) % taskPriorities.length],
      assigneeId: [member.userId, owner.userId, null][i % 3],
      sprintId: [sprint, null][Math.floor(i / 4) % 2],
      epicId: [epic, null, null][Math.floor(i / 5) % 3],
      dueDate: i % 3 === 0 ? null : `2030-0${1 + (i % 4)}-1${i % 2}`,
    }));
    const created = await h.request(member, 'POST', `${path}/bulk`, { items });
    expect(created.status).toBe(201);
    const tasks = ((await created.json()) as { items: { id: string; title: string }[] }).items;
    matching = new Set(tasks.filter((task) => task.title.startsWith('Invoice')).map((task) => task.id));
    filters.push(
      'status=todo,in_progress',
      'type=bug',
      'priority=high,urgent',
      'assigneeId=me',
      'assigneeId=none',
      `assigneeId=${owner.userId},none`,
      'sprintId=none',
      `sprintId=${sprint}`,
      `epicId=${epic},none`,
      'epicId=none',
      'dueBefore=2030-03-01',
      `status=todo,in_progress,in_review&type=task,bug,story&priority=low,medium,urgent&assigneeId=me,none&sprintId=none,${sprint}&epicId=none&dueBefore=2030-04-01`,
    );
  });
  afterAll(async () => {
    await h.destroy();
  });

  const allPages = (query: string) => allTaskPages(h, h.tenantA.actors.member, path, query, 2);

  it.each(TASK_SORTS)('pages a filtered search sorted by %s as the filtered list without the search', async (sort) => {
    for (const filter of filters) {
      const expected = (await allPages(`${filter}&sort=${sort}`)).filter((id) => matching.has(id));
      const searched = await allPages(`q=invoice&${filter}&sort=${sort}`);
      expect(expected.length, filter).toBeGreaterThan(0);
      expect(searched, `${filter}&sort=${sort}`).toEqual(expected);
    }
  });
});

/**
 * The plan of a filtered search: the list reads the page's tasks, not every match. Before 0039
 * a filter sent the search to app.matching_task_ids and the list fetched all of them by id.
 */
describe.runIf(engine === 'postgres')('task search with a filter, as planned', () => {
  let h: ApiHarness;
  let projectId: string;
  const MATCHES = 2_000;
  const PAGE = 10;

  beforeAll(async () => {
    h = await createApiHarness();
    const project = await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${h.tenantA.organizationId}/projects`, { name: 'Big', key: 'BIG' });
    projectId = ((await project.json()) as { id: string }).id;
    // Written as the superuser with triggers off (numbers and positions given), for speed.
    await h.test.db.orm.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        insert into tasks (organization_id, project_id, number, title, position, created_at)
        select ${h.tenantA.organizationId}, ${projectId}, n, case when n % 5 = 0 then 'Invoice ' else 'Filler ' end || n,
               'a' || lpad(n::text, 6, '0'), now() - n * interval '1 minute'
          from generate_series(1, ${MATCHES * 5}::integer) n`);
    });
    await h.test.db.query('analyze tasks');
  });
  afterAll(async () => {
    await h.destroy();
  });

  it.each(['position', '-created'] as const)('reads a page of tasks, not every match (sort=%s)', async (sort) => {
    const plans = await noticesOf(h, async (client) => {
      await client.query(`load 'auto_explain'`);
      await client.query(`set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; set client_min_messages = log`);
      await client.query('begin');
      await client.query(`select set_config('role', $1, true), set_config('app.organization_id', $2, true)`, [ROLES.app, h.tenantA.organizationId]);
      const { statement } = listTasksStatement(h.tenantA.organizationId, {
        projectIds: [projectId], statuses: ['todo'], search: { projectId, query: 'invoice' }, order: orderOf(sort, true), after: null, limit: PAGE,
      });
      const { rows } = await client.query(statement.text, statement.values);
      await client.query('rollback');
      expect(rows).toHaveLength(PAGE + 1);
    });
    const list = plans.find((plan) => plan.includes('from "tasks"'));
    if (!list) throw new Error(`no plan of the list among ${plans.length}`);
    // Every scan of tasks in the list's own plan: the rows it kept and the rows it threw away.
    const scans = list.split('->').filter((node) => / on tasks\b/.test(node));
    expect(scans.length, list).toBeGreaterThan(0);
    for (const node of scans) {
      const [, kept = '0', loops = '0'] = / rows=(\d+) loops=(\d+)\)/.exec(node) ?? [];
      const removed = /Rows Removed by Filter: (\d+)/.exec(node)?.[1] ?? '0';
      expect(Number(kept) * Number(loops) + Number(removed), list).toBeLessThanOrEqual(PAGE + 1);
    }
  });
});
