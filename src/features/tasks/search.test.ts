import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { noticesOf } from '../../../test/support/notices.js';
import { allTaskPages } from '../../../test/support/task-pages.js';
import { ROLES } from '../../db/roles.js';
import { taskPriorities } from '../../db/schema/index.js';
import { type TaskListOptions, listTasks } from './repository.js';
import { TASK_SORTS, orderOf } from './sort.js';

const SEARCHES = 7;
const TASKS = 40;

/**
 * How task search reaches its SECURITY DEFINER function (migrations/0008) matters as much as
 * the function: written as `id in (select …)` the planner may call it once per task of the
 * project, which on a 17,767-task project took 23 s per search. PostgreSQL counts the calls
 * made in the current transaction (pg_stat_xact_user_functions), so the test asks it. With
 * `in (select …)` it fails on PostgreSQL (280 calls for 7 searches); PGlite picks another plan.
 */
describe('task search', () => {
  let h: ApiHarness;
  let organizationId: string;
  let projectId: string;

  beforeAll(async () => {
    h = await createApiHarness();
    organizationId = h.tenantA.organizationId;
    const member = h.tenantA.actors.member;
    const project = await h.request(member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Shop', key: 'SHOP' });
    projectId = ((await project.json()) as { id: string }).id;
    const bulk = async (items: { title: string }[]) => {
      const created = await h.request(member, 'POST', `/api/v1/orgs/${organizationId}/projects/${projectId}/tasks/bulk`, { items });
      expect(created.status).toBe(201);
    };
    // Statistics taken while the project held one task, then the project grows: the planner
    // believes it small, as it believed a 152,647-task project to hold 16,302 in the benchmark.
    await bulk([{ title: 'Checkout step 0' }]);
    await h.test.db.query('analyze tasks');
    await h.test.db.query('analyze projects');
    await bulk(Array.from({ length: TASKS - 1 }, (_, i) => ({ title: (i + 1) % 4 === 0 ? `Checkout step ${i + 1}` : `Catalog page ${i + 1}` })));
  });
  afterAll(async () => {
    await h.destroy();
  });

  /**
   * Runs the searches, alone and with each filter, in one transaction as the app role, and
   * counts the calls of the page function. One transaction: the calls of an earlier one may
   * not yet be flushed, and the view would count them again.
   */
  async function countCalls(filters: Partial<TaskListOptions>[]) {
    return h.test.db.orm.transaction(async (tx) => {
      // Counting function calls is a superuser setting, so it comes before the switch to the
      // app role; the rest is what withTenant sets.
      await tx.execute(sql`set local track_functions = 'pl'`);
      await tx.execute(sql`select set_config('role', ${ROLES.app}, true), set_config('app.organization_id', ${organizationId}, true)`);
      const found: number[] = [];
      for (const filter of filters) {
        for (let i = 0; i < SEARCHES; i++) {
          const options = { projectIds: [projectId], search: { projectId, query: 'checkout' }, order: orderOf('position', true), after: null, limit: 50, ...filter };
          found.push((await listTasks(tx, organizationId, options)).length);
        }
      }
      // Both engines answer `execute` with an object holding `rows`.
      const counted: unknown = await tx.execute(sql`select calls from pg_stat_xact_user_functions where schemaname = 'app' and funcname = 'matching_task_page'`);
      const [row] = (counted as { rows: { calls: string }[] }).rows;
      return { calls: Number(row?.calls ?? 0), found };
    });
  }

  it('calls the search function once per search, however many tasks the project holds', async () => {
    // Alone or with another filter, the search asks the page function (0027, 0039).
    const filters = [{}, { statuses: ['todo' as const] }];
    const { calls, found } = await countCalls(filters);
    expect(found).toEqual(Array.from({ length: SEARCHES * filters.length }, () => TASKS / 4));
    expect(calls).toBe(SEARCHES * filters.length);
  });
});

/**
 * The page function (migration 0027) sorts, continues after a cursor and cuts the page inside
 * the database; the list must still read exactly the pages it read when the function returned
 * every match and the list did all three. A filter that keeps every task goes through the
 * function's filters (0039) too; search-filters.test.ts compares filters that keep some.
 */
describe('task search, a page at a time', () => {
  let h: ApiHarness;
  let path: string;
  let projectId: string;
  const MATCHES = 14;

  beforeAll(async () => {
    h = await createApiHarness();
    const { member } = h.tenantA.actors;
    const org = `/api/v1/orgs/${h.tenantA.organizationId}`;
    const project = await h.request(member, 'POST', `${org}/projects`, { name: 'Paged', key: 'PAGE' });
    projectId = ((await project.json()) as { id: string }).id;
    path = `${org}/projects/${projectId}/tasks`;
    // Matches with repeated priorities and due dates, some without one, between tasks that do not match.
    const items = Array.from({ length: MATCHES * 2 }, (_, i) => ({
      title: i % 2 === 0 ? `Invoice run ${i}` : `Catalog page ${i}`,
      priority: taskPriorities[i % taskPriorities.length],
      dueDate: i % 3 === 0 ? null : `2030-0${1 + (i % 4)}-1${i % 2}`,
    }));
    const created = await h.request(member, 'POST', `${path}/bulk`, { items });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await h.destroy();
  });

  const allPages = (query: string) => allTaskPages(h, h.tenantA.actors.viewer, path, query, 3);

  it.each(TASK_SORTS)('pages sort=%s exactly as the list sorts every match', async (sort) => {
    const paged = await allPages(`q=invoice&sort=${sort}`);
    const everyStatus = await allPages(`q=invoice&sort=${sort}&status=todo,in_progress,in_review,done,canceled`);
    expect(paged).toHaveLength(MATCHES);
    expect(paged).toEqual(everyStatus);
  });

  it.runIf(engine === 'postgres')('finds the candidates through the (project, search vector) index of migration 0018', async () => {
    const plans = await noticesOf(h, async (client) => {
      // A project of a few dozen tasks is read faster without any index: it gets some bulk first,
      // tasks that do not match, and statistics that say so; a table this small is still read
      // whole unless sequential scans are priced out. What is asked is which index serves the
      // function's query: the project's btrees all lead with the organization, which the
      // candidates do not filter on, and the earlier GIN index on the vector alone is gone (0027).
      // Written as the superuser with triggers off (numbers and positions given), for speed.
      await client.query('begin');
      await client.query(`set local session_replication_role = replica`);
      await client.query(
        `insert into tasks (organization_id, project_id, number, title, position)
         select $1, $2, 1000 + n, 'Filler ' || n, 'z' || lpad(n::text, 6, '0') from generate_series(1, 20000) n`,
        [h.tenantA.organizationId, projectId],
      );
      await client.query('commit');
      await client.query('analyze tasks');
      // auto_explain hands the plans of the function's own statements to the client.
      await client.query(`load 'auto_explain'`);
      await client.query(`set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set client_min_messages = log; set enable_seqscan = off`);
      await client.query('begin');
      await client.query(`select set_config('role', $1, true), set_config('app.organization_id', $2, true)`, [ROLES.app, h.tenantA.organizationId]);
      const { rows } = await client.query(`select app.matching_task_page($1, 'invoice', '-created', null, null, 4) as id`, [projectId]);
      await client.query('rollback');
      expect(rows).toHaveLength(4);
    });
    const candidates = plans.find((plan) => plan.includes('with candidates'));
    expect(candidates).toContain('tasks_project_id_search_vector_idx');
  });
});
