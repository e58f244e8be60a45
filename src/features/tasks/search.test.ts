import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { ROLES } from '../../db/roles.js';
import { listTasks } from './repository.js';
import { orderOf } from './sort.js';

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

  it('calls the search function once per search, however many tasks the project holds', async () => {
    const { calls, found } = await h.test.db.orm.transaction(async (tx) => {
      // Counting function calls is a superuser setting, so it comes before the switch to the
      // app role; the rest is what withTenant sets.
      await tx.execute(sql`set local track_functions = 'pl'`);
      await tx.execute(sql`select set_config('role', ${ROLES.app}, true), set_config('app.organization_id', ${organizationId}, true)`);
      const found: number[] = [];
      for (let i = 0; i < SEARCHES; i++) found.push((await listTasks(tx, organizationId, { projectIds: [projectId], search: { projectId, query: 'checkout' }, order: orderOf('position', true), after: null, limit: 50 })).length);
      // Both engines answer `execute` with an object holding `rows`.
      const counted: unknown = await tx.execute(sql`select calls from pg_stat_xact_user_functions where schemaname = 'app' and funcname = 'matching_task_ids'`);
      const [row] = (counted as { rows: { calls: string }[] }).rows;
      return { calls: Number(row?.calls ?? 0), found };
    });
    expect(found).toEqual(Array.from({ length: SEARCHES }, () => TASKS / 4));
    expect(calls).toBe(SEARCHES);
  });
});
