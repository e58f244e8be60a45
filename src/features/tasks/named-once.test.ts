import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import type { PipelineStatement } from '../../db/pipeline.js';
import { withTenantPipeline } from '../../db/tenant-context.js';
import { createCommentStatements } from '../comments/create-in-one-trip.js';
import { updateTaskStatements } from './update-in-one-trip.js';

type Task = { id: string; ref: string };

/**
 * A one-trip write naming its task by reference (ACME-7) acts on the task its first statement
 * found, whatever later statements would find: each statement of a pipeline takes a new snapshot.
 * The tests put a change of project keys between the check and the write, in the pipeline
 * itself, so that the reference names another task by the time the write runs.
 */
describe('tasks: a reference resolved once per one-trip write', () => {
  let h: ApiHarness;
  const orgPath = () => `/api/v1/orgs/${h.tenantA.organizationId}`;

  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** A project and its first task, created by the owner. */
  const projectWithTask = async (key: string) => {
    const project = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects`, { name: `Project ${key}`, key });
    const { id } = (await project.json()) as { id: string };
    const task = await h.request(h.tenantA.actors.owner, 'POST', `${orgPath()}/projects/${id}/tasks`, { title: 'Untouched' });
    return (await task.json()) as Task;
  };

  /** `key`'s project takes another key, and `to`'s project takes `key`: the reference now names `to`'s task. */
  const rekey = (key: string, to: string): PipelineStatement[] => [
    { text: `update projects set key = $1 where organization_id = $2 and key = $3`, values: [`${key}X`, h.tenantA.organizationId, key] },
    { text: `update projects set key = $1 where organization_id = $2 and key = $3`, values: [key, h.tenantA.organizationId, to] },
  ];

  const call = () => ({ db: h.test.db, claim: { organizationId: h.tenantA.organizationId, userId: h.tenantA.actors.owner.userId }, requestId: 'test:named-once' });
  const run = (statements: PipelineStatement[]) => withTenantPipeline(h.test.db, { ...call().claim, requestId: 'test:named-once' }, statements);

  it('updates the task the check passed, not the one the reference names after a key change', async () => {
    const [named, other] = [await projectWithTask('RSA'), await projectWithTask('RSB')];
    const { statements, read } = updateTaskStatements(call(), named.ref, { title: 'Changed once' });
    // Before the update: the check, then the update, the read and the live event.
    statements.splice(statements.length - 3, 0, ...rekey('RSA', 'RSB'));
    const results = await run(statements);
    const titles = await h.test.db.query<{ id: string; title: string }>(`select id, title from tasks where id = any($1::uuid[]) order by title`, [[named.id, other.id]]);
    expect(titles).toEqual([
      { id: named.id, title: 'Changed once' },
      { id: other.id, title: 'Untouched' },
    ]);
    expect(read(results.slice(2))).toMatchObject({ id: named.id, title: 'Changed once' });
  });

  it('comments on the task the check passed, not the one the reference names after a key change', async () => {
    const [named, other] = [await projectWithTask('RCA'), await projectWithTask('RCB')];
    const { statements, read } = createCommentStatements(call(), named.ref, { body: 'On the task checked' });
    // Before the insert: the check, then the insert, the watch, the notifications, the read and the live event.
    statements.splice(statements.length - 5, 0, ...rekey('RCA', 'RCB'));
    const results = await run(statements);
    const comments = await h.test.db.query<{ task_id: string }>(`select task_id from comments where task_id = any($1::uuid[])`, [[named.id, other.id]]);
    expect(comments).toEqual([{ task_id: named.id }]);
    expect(read([...results.slice(0, -7), ...results.slice(-5)])).toMatchObject({ taskId: named.id });
  });
});
