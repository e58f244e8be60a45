import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { build } from '../../db/statement.js';
import { withTenant } from '../../db/tenant-context.js';
import { serialize } from '../../http/router.js';
import * as repository from './repository.js';
import { orderOf } from './sort.js';

type Page = { items: { id: string; ref: string; completedAt?: string | null }[]; nextCursor: string | null };

/**
 * The hot reads (one task, a project's list) check membership and read in one database round
 * trip, and answer exactly what the transaction-per-statement path answered.
 */
describe('tasks: one database round trip per read', () => {
  let h: ApiHarness;
  let projectId: string;
  let taskIds: string[];
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;

  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: 60_000 });
    const { member } = h.tenantA.actors;
    const project = await h.request(member, 'POST', `${orgPath()}/projects`, { name: 'Hot', key: 'HOT' });
    projectId = ((await project.json()) as { id: string }).id;
    const created = await h.request(member, 'POST', `${orgPath()}/projects/${projectId}/tasks/bulk`, {
      items: [
        { title: 'first', assigneeId: member.userId, dueDate: '2030-01-15', storyPoints: 3 },
        { title: 'second' },
        { title: 'third', type: 'bug' },
      ],
    });
    taskIds = ((await created.json()) as { items: { id: string }[] }).items.map((task) => task.id);
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** Statements sent for one request whose session is already cached. */
  async function roundTrips(path: string, actor = h.tenantA.actors.viewer) {
    await h.request(actor, 'GET', path);
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const response = await h.request(actor, 'GET', path);
      return { status: response.status, body: await response.json(), count: sent.mock.calls.length };
    } finally {
      sent.mockRestore();
    }
  }

  it('answers a task by id and by reference, as the builder reads it, in one round trip', async () => {
    const [id] = taskIds;
    if (!id) throw new Error('no task');
    const expected = await withTenant(h.test.db, { organizationId: h.tenantA.organizationId }, (tx) =>
      repository.findTask(tx, h.tenantA.organizationId, { id }),
    );
    const byId = await roundTrips(`${orgPath()}/tasks/${id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(JSON.parse(JSON.stringify(serialize(expected ?? {}))));
    expect(byId.body).toMatchObject({ ref: 'HOT-1', assignee: { id: h.tenantA.actors.member.userId }, reporter: { id: h.tenantA.actors.member.userId }, dueDate: '2030-01-15' });
    const byRef = await roundTrips(`${orgPath()}/tasks/hot-2`);
    expect(byRef.body).toMatchObject({ id: taskIds[1], assignee: null });
    if (engine === 'postgres') {
      expect(byId.count).toBe(1);
      expect(byRef.count).toBe(1);
    }
  });

  it('lists and pages a project in one round trip per page', async () => {
    const first = await roundTrips(`${orgPath()}/projects/${projectId}/tasks?limit=2`);
    const page = first.body as Page;
    expect(page.items.map((task) => task.ref)).toEqual(['HOT-1', 'HOT-2']);
    const next = await roundTrips(`${orgPath()}/projects/${projectId}/tasks?limit=2&cursor=${page.nextCursor}`);
    expect(next.body).toEqual({ items: [expect.objectContaining({ ref: 'HOT-3' })], nextCursor: null });
    const filtered = await roundTrips(`${orgPath()}/projects/${projectId}/tasks?type=bug&sort=-created`);
    expect((filtered.body as Page).items.map((task) => task.ref)).toEqual(['HOT-3']);
    if (engine === 'postgres') expect([first.count, next.count, filtered.count]).toEqual([1, 1, 1]);
  });

  it('sends each task of a list and the task alone as the builder reads them, a finished task and text JSON must escape included', async () => {
    const { member } = h.tenantA.actors;
    const [, second] = taskIds;
    // A finished task (completedAt set) whose text JSON must escape.
    const tricky = 'quote " backslash \\ tab \t newline \n bell \u0007 é 日本 🚀 </script>';
    const patched = await h.request(member, 'PATCH', `${orgPath()}/tasks/${second}`, { status: 'done', description: tricky, acceptanceCriteria: '' });
    expect(patched.status).toBe(200);
    const page = (await (await h.request(member, 'GET', `${orgPath()}/projects/${projectId}/tasks`)).json()) as Page;
    const expected = await withTenant(h.test.db, { organizationId: h.tenantA.organizationId }, (tx) =>
      Promise.all(taskIds.map((id) => repository.findTask(tx, h.tenantA.organizationId, { id }))),
    );
    expect(page.items).toEqual(expected.map((task) => JSON.parse(JSON.stringify(serialize(task ?? {}))) as unknown));
    expect(page.items[1]).toMatchObject({ description: tricky, acceptanceCriteria: '' });
    expect(page.items[1]?.completedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const single: unknown = await (await h.request(member, 'GET', `${orgPath()}/tasks/${second}`)).json();
    expect(single).toEqual(page.items[1]);
    await h.request(member, 'PATCH', `${orgPath()}/tasks/${second}`, { status: 'todo' });
  });

  it('answers 404 to a non-member and for a missing project or task, as the tenant middleware does', async () => {
    const outsider = h.tenantB.actors.owner;
    for (const path of [`${orgPath()}/tasks/${taskIds[0]}`, `${orgPath()}/projects/${projectId}/tasks`]) {
      const response = await h.request(outsider, 'GET', path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found', message: 'organization not found' } });
    }
    const { viewer } = h.tenantA.actors;
    const missingProject = await h.request(viewer, 'GET', `${orgPath()}/projects/${h.tenantA.organizationId}/tasks`);
    expect(await missingProject.json()).toMatchObject({ error: { message: 'project not found' } });
    const missingTask = await h.request(viewer, 'GET', `${orgPath()}/tasks/HOT-99`);
    expect(await missingTask.json()).toMatchObject({ error: { message: 'task not found' } });
    expect((await h.request(null, 'GET', `${orgPath()}/tasks/${taskIds[0]}`)).status).toBe(401);
  });

  it('takes the organization by slug too', async () => {
    const response = await h.request(h.tenantA.actors.viewer, 'GET', `/api/v1/orgs/${h.tenantA.slug}/tasks/HOT-1`);
    expect(await response.json()).toMatchObject({ id: taskIds[0] });
    const outsider = await h.request(h.tenantB.actors.owner, 'GET', `/api/v1/orgs/${h.tenantA.slug}/tasks/HOT-1`);
    expect(outsider.status).toBe(404);
  });

  it('declares it on the route, where the tenant middleware reads it, and keeps it out of the published API', async () => {
    const document = await (await h.request(null, 'GET', '/openapi.json')).text();
    expect(document).toContain('"getTask"');
    expect(document).not.toContain('x-checks-membership-itself');
  });

  it('builds a list query once per shape, then only binds new values', async () => {
    const list = (query: string) => h.request(h.tenantA.actors.viewer, 'GET', `${orgPath()}/projects/${projectId}/tasks?${query}`);
    const first = (await (await list('status=todo&sort=-due&limit=1')).json()) as Page;
    await list(`status=todo&sort=-due&limit=1&cursor=${first.nextCursor}`);
    const building = vi.spyOn(build, 'select');
    try {
      // The same shape (a status filter, this sort, a cursor) with other values.
      const again = (await (await list(`status=todo&sort=-due&limit=2&cursor=${first.nextCursor}`)).json()) as Page;
      expect(again.items.map((task) => task.ref)).toEqual(['HOT-3', 'HOT-2']);
      expect(building).not.toHaveBeenCalled();
      await list('type=bug&sort=-due');
      expect(building).toHaveBeenCalledTimes(1);
    } finally {
      building.mockRestore();
    }
  });

  // Under RLS each people join's inner side carries a one-time filter, which a nested loop
  // evaluates again for every task of the page. Joined on the task's organization column, the
  // tasks policy's comparison came along with the members policy's: two per join, not one.
  it("compares the tenant context once per people join of a page, not twice", async () => {
    const options = { projectIds: [projectId], order: orderOf('position', true), after: null, limit: 50 };
    const { statement } = repository.listTasksStatement(h.tenantA.organizationId, options);
    const plan = await h.test.db.session(async (session) => {
      await session.query('begin');
      try {
        await session.query(`select set_config('role', 'tenantry_app', true), set_config('app.organization_id', $1, true), set_config('app.hidden_project_ids', '{}', true)`, [
          h.tenantA.organizationId,
        ]);
        const rows = await session.query<{ 'QUERY PLAN': string }>(`explain (costs off) ${statement.text}`, statement.values);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await session.query('rollback');
      }
    });
    const contextReads = plan.match(/current_setting\('app\.organization_id'/g) ?? [];
    expect(plan).toContain('members assignee');
    expect(contextReads.length).toBeGreaterThan(0);
    expect(contextReads.length).toBeLessThanOrEqual(3);
  });

  it('names a single project by equality, so the list walks the position index in order instead of sorting the project', () => {
    const options = { projectIds: [projectId], order: orderOf('position', true), after: null, limit: 50 };
    const { statement } = repository.listTasksStatement(h.tenantA.organizationId, options);
    expect(statement.text).toMatch(/"tasks"\."project_id" = \$\d/);
    expect(statement.text).not.toContain('any(');
  });
});
