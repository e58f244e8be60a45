import { TransactionRollbackError, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import type { PipelineStatement } from '../../db/pipeline.js';
import { ROLES } from '../../db/roles.js';
import { contextStatements } from '../../db/tenant-context.js';
import * as repository from './repository.js';
import { orderOf } from './sort.js';

type Person = { id: string; name: string; image: string | null } | null;

/**
 * The assignee and reporter a task read embeds: a list page's people are read once each (the
 * users policy costs a function call per user row read), and the answer is still each task's
 * own two people, or null, and never a user the tenant may not see.
 */
describe('tasks: the people a task read embeds', () => {
  let h: ApiHarness;
  let projectId: string;
  let taskIds: string[];
  const organizationId = () => h.tenantA.organizationId;
  const options = () => ({ projectIds: [projectId], order: orderOf('position', true), after: null, limit: 50 });

  beforeAll(async () => {
    h = await createApiHarness();
    const { member, admin, owner } = h.tenantA.actors;
    const path = `/api/v1/orgs/${organizationId()}`;
    const project = await h.request(member, 'POST', `${path}/projects`, { name: 'People', key: 'PPL' });
    projectId = ((await project.json()) as { id: string }).id;
    const bulk = async (actor: typeof member, items: object[]) =>
      ((await (await h.request(actor, 'POST', `${path}/projects/${projectId}/tasks/bulk`, { items })).json()) as { items: { id: string }[] }).items.map((t) => t.id);
    // Repeated people, an assignee who is also the reporter, and tasks with no assignee.
    taskIds = [
      ...(await bulk(member, [{ title: 'mine', assigneeId: member.userId }, { title: 'theirs', assigneeId: admin.userId }, { title: 'nobody' }])),
      ...(await bulk(admin, [{ title: 'to the owner', assigneeId: owner.userId }, { title: 'to me', assigneeId: admin.userId }, { title: 'nobody either' }])),
    ];
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** Each task's people as the superuser reads them, straight from the tables. */
  async function expectedPeople(): Promise<Map<string, { assignee: Person; reporter: Person }>> {
    const rows = await h.test.db.query<{ id: string; assignee: Person; reporter: Person }>(
      `select t.id::text as id,
              case when a.id is null then null else json_build_object('id', a.id, 'name', a.name, 'image', a.image) end as assignee,
              case when r.id is null then null else json_build_object('id', r.id, 'name', r.name, 'image', r.image) end as reporter
         from tasks t left join users a on a.id = t.assignee_id left join users r on r.id = t.created_by_id
        where t.organization_id = $1 and t.project_id = $2`,
      [organizationId(), projectId],
    );
    return new Map(rows.map(({ id, assignee, reporter }) => [id, { assignee, reporter }]));
  }

  /** `statement` as the server sends it (tenantry_app, the context set), with the users policy's function calls counted. */
  async function runCounted(statement: PipelineStatement) {
    // The backend's pending count, which may still hold earlier transactions' calls: read before and after.
    const count = { text: "select pg_stat_get_xact_function_calls('app.is_member_of_current_organization(uuid)'::regprocedure)::int", values: [] };
    const results = await h.test.db.pipeline([
      // Before the role changes: only a superuser may turn function statistics on.
      { text: "set local track_functions = 'pl'", values: [] },
      ...contextStatements(ROLES.app, { organizationId: organizationId() }).map((text) => ({ text, values: [] })),
      count,
      statement,
      count,
    ]);
    const [before, after] = [results.at(-3), results.at(-1)].map((result) => Number(result?.rows[0]?.[0] ?? 0));
    return { result: results.at(-2), calls: (after ?? 0) - (before ?? 0) };
  }

  it('embeds each task its own assignee and reporter, or null, in the list and the one-task read', async () => {
    const expected = await expectedPeople();
    const list = repository.listTasksStatement(organizationId(), options());
    const listed = list.read((await runCounted(list.statement)).result);
    expect(listed.map((task) => task.id)).toEqual(taskIds);
    for (const task of listed) expect({ assignee: task.assignee, reporter: task.reporter }).toEqual(expected.get(task.id));
    expect(listed.filter((task) => task.assignee === null)).toHaveLength(2);
    for (const id of taskIds) {
      const one = repository.findTaskStatement(organizationId(), { id });
      const found = one.read((await runCounted(one.statement)).result);
      expect({ assignee: found?.assignee, reporter: found?.reporter }).toEqual(expected.get(id));
    }
  });

  it('reads each person of a list page once, not twice per task', async () => {
    // Six tasks name three people (member, admin, owner): the old joins read ten user rows.
    const list = repository.listTasksStatement(organizationId(), options());
    expect((await runCounted(list.statement)).calls).toBe(3);
  });

  it("never embeds a user the tenant may not see, even one a task names (another tenant's)", async () => {
    const stranger = h.tenantB.actors.owner.userId;
    const [first] = taskIds;
    // Planted past the foreign keys (which would refuse it) in a transaction that is rolled back.
    const seen: { listed?: repository.TaskView[]; one?: repository.TaskView } = {};
    await h.test.db.orm
      .transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update tasks set assignee_id = ${stranger}, created_by_id = ${stranger} where id = ${first}`);
        await tx.execute(sql`set local session_replication_role = origin`);
        for (const text of contextStatements(ROLES.app, { organizationId: organizationId() })) await tx.execute(sql.raw(text));
        seen.listed = await repository.listTasks(tx, organizationId(), options());
        seen.one = await repository.findTask(tx, organizationId(), { id: first ?? '' });
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    const task = seen.listed?.find((t) => t.id === first);
    expect(task).toMatchObject({ assigneeId: stranger, assignee: null, createdById: stranger, reporter: null });
    expect(seen.one).toMatchObject({ assigneeId: stranger, assignee: null, reporter: null });
  });
});
