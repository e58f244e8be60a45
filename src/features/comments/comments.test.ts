import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, type Tenant, createApiHarness } from '../../../test/support/api.js';

type CommentBody = { id: string; taskId: string; authorId: string | null; body: string; editedAt: string | null };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

describe('comments API', () => {
  let h: ApiHarness;
  let taskId: string;
  const org = (tenant: Tenant) => `/api/v1/orgs/${tenant.organizationId}`;
  async function send<T = CommentBody>(actor: Actor | null, method: string, path: string, body?: unknown) {
    const response = await h.request(actor, method, path, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }
  const onTask = (tenant: Tenant, id: string) => `${org(tenant)}/tasks/${id}/comments`;
  const byId = (tenant: Tenant, id: string) => `${org(tenant)}/comments/${id}`;
  const newTask = async () => {
    const { actors } = h.tenantA;
    const [project] = await h.test.db.query<{ id: string }>('select id from projects where organization_id = $1', [h.tenantA.organizationId]);
    return (await send<{ id: string }>(actors.member, 'POST', `${org(h.tenantA)}/projects/${project?.id}/tasks`, { title: 'Discuss me' })).body.id;
  };
  const comment = async (actor: Actor, text: string) => (await send(actor, 'POST', onTask(h.tenantA, taskId), { body: text })).body;

  beforeAll(async () => {
    h = await createApiHarness();
    await send(h.tenantA.actors.member, 'POST', `${org(h.tenantA)}/projects`, { name: 'Website', key: 'WEB' });
    taskId = await newTask();
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('lets members discuss a task, viewers read it, and the author edit and delete', async () => {
    const { actors } = h.tenantA;
    const created = await send(actors.member, 'POST', onTask(h.tenantA, taskId), { body: '  Repro steps attached.  ' });
    expect(created).toMatchObject({ status: 201, body: { taskId, authorId: actors.member.userId, body: 'Repro steps attached.', editedAt: null } });
    const reply = await comment(actors.admin, 'Thanks!');

    const page1 = await send<{ items: CommentBody[]; nextCursor: string | null }>(actors.viewer, 'GET', `${onTask(h.tenantA, taskId)}?limit=1`);
    expect(page1.body.items.map((c) => c.id)).toEqual([created.body.id]);
    const page2 = await send<{ items: CommentBody[]; nextCursor: string | null }>(actors.viewer, 'GET', `${onTask(h.tenantA, taskId)}?cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ id: reply.id }], nextCursor: null });
    expect(await send(actors.viewer, 'GET', byId(h.tenantA, reply.id))).toMatchObject({ status: 200, body: { body: 'Thanks!' } });

    const edited = await send(actors.member, 'PATCH', byId(h.tenantA, created.body.id), { body: 'Repro steps attached (v2).' });
    expect(edited).toMatchObject({ status: 200, body: { body: 'Repro steps attached (v2).' } });
    expect(edited.body.editedAt).not.toBeNull();

    expect((await send(actors.member, 'DELETE', byId(h.tenantA, created.body.id))).status).toBe(204);
    expect((await send(actors.viewer, 'GET', byId(h.tenantA, created.body.id))).status).toBe(404);
    const listed = await send<{ items: CommentBody[] }>(actors.viewer, 'GET', onTask(h.tenantA, taskId));
    expect(listed.body.items.map((c) => c.id)).toEqual([reply.id]);
    expect(await h.test.db.query('select id from comments where id = $1 and deleted_at is not null', [created.body.id])).toHaveLength(1);
  });

  it('embeds the author in every answer, and finds the task by its reference too', async () => {
    const { actors } = h.tenantA;
    const author = { id: actors.admin.userId, name: 'a-admin', image: null };
    const created = await send<CommentBody & { author: unknown }>(actors.admin, 'POST', onTask(h.tenantA, 'web-1'), { body: 'By reference.' });
    expect(created).toMatchObject({ status: 201, body: { taskId, author } });
    const edited = await send<CommentBody & { author: unknown }>(actors.admin, 'PATCH', byId(h.tenantA, created.body.id), { body: 'Edited.' });
    expect(edited.body.author).toEqual(author);
    expect((await send<CommentBody & { author: unknown }>(actors.viewer, 'GET', byId(h.tenantA, created.body.id))).body.author).toEqual(author);
    const listed = await send<{ items: (CommentBody & { author: unknown })[] }>(actors.viewer, 'GET', `${onTask(h.tenantA, 'WEB-1')}?limit=100`);
    expect(listed.body.items.find((c) => c.id === created.body.id)?.author).toEqual(author);
    expect((await send<ErrorBody>(actors.viewer, 'GET', onTask(h.tenantA, 'WEB-404'))).status).toBe(404);
  });

  it("forbids changing someone else's comment unless the caller is an admin", async () => {
    const { actors } = h.tenantA;
    const others = await comment(actors.owner, 'Owner speaking.');
    const mine = await comment(actors.member, 'Member speaking.');
    const colleague = await h.signUp('a-member-two');
    await h.test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'member')`, [h.tenantA.organizationId, colleague.userId]);

    for (const [method, body] of [['PATCH', { body: 'hijacked' }], ['DELETE', undefined]] as const) {
      expect(await send<ErrorBody>(colleague, method, byId(h.tenantA, mine.id), body)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect(await send<ErrorBody>(actors.member, method, byId(h.tenantA, others.id), body)).toMatchObject({ status: 403 });
    }
    expect(await send(actors.viewer, 'GET', byId(h.tenantA, mine.id))).toMatchObject({ body: { body: 'Member speaking.', editedAt: null } });

    const moderated = await send(actors.admin, 'PATCH', byId(h.tenantA, mine.id), { body: 'Moderated.' });
    expect(moderated).toMatchObject({ status: 200, body: { body: 'Moderated.', authorId: actors.member.userId } });
    expect((await send(actors.owner, 'DELETE', byId(h.tenantA, mine.id))).status).toBe(204);
  });

  it('hides the discussion of a deleted task', async () => {
    const { actors } = h.tenantA;
    const doomed = await newTask();
    const remark = (await send(actors.member, 'POST', onTask(h.tenantA, doomed), { body: 'soon gone' })).body;
    expect((await send(actors.member, 'DELETE', `${org(h.tenantA)}/tasks/${doomed}`)).status).toBe(204);
    expect((await send(actors.viewer, 'GET', onTask(h.tenantA, doomed))).status).toBe(404);
    expect((await send(actors.viewer, 'GET', byId(h.tenantA, remark.id))).status).toBe(404);
    expect((await send(actors.member, 'POST', onTask(h.tenantA, doomed), { body: 'too late' })).status).toBe(404);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { actors } = h.tenantA;
    const before = await h.test.db.query('select * from comments order by id');
    const blank = await send<ErrorBody>(actors.member, 'POST', onTask(h.tenantA, taskId), { body: '   ' });
    expect(blank).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: [{ path: 'body' }] } } });
    const extra = await send<ErrorBody>(actors.member, 'POST', onTask(h.tenantA, taskId), { body: 'ok', authorId: actors.owner.userId });
    expect(extra).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    const [existing] = await h.test.db.query<{ id: string }>('select id from comments where deleted_at is null limit 1');
    const missingBody = await send<ErrorBody>(actors.owner, 'PATCH', byId(h.tenantA, existing?.id ?? ''), {});
    expect(missingBody).toMatchObject({ status: 400, body: { error: { details: [{ path: 'body' }] } } });
    expect(await h.test.db.query('select * from comments order by id')).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { actors } = h.tenantA;
    const target = await comment(actors.member, 'guarded');
    const routes: [string, string, unknown?][] = [
      ['GET', onTask(h.tenantA, taskId)],
      ['POST', onTask(h.tenantA, taskId), { body: 'x' }],
      ['GET', byId(h.tenantA, target.id)],
      ['PATCH', byId(h.tenantA, target.id), { body: 'x' }],
      ['DELETE', byId(h.tenantA, target.id)],
    ];
    for (const [method, path, body] of routes) {
      expect(await send<ErrorBody>(null, method, path, body)).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
      if (method !== 'GET') {
        expect(await send<ErrorBody>(actors.viewer, method, path, body)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      }
    }
    expect(await send(actors.viewer, 'GET', byId(h.tenantA, target.id))).toMatchObject({ body: { body: 'guarded' } });
  });

  it("answers 404 for another tenant's comments and tasks, and leaves A's rows alone", async () => {
    const a = h.tenantA;
    const b = h.tenantB;
    const mine = await comment(a.actors.member, 'Secret remark');
    const outsider = b.actors.owner;
    const attempts = [
      await send<ErrorBody>(outsider, 'GET', byId(a, mine.id)),
      await send<ErrorBody>(outsider, 'GET', byId(b, mine.id)),
      await send<ErrorBody>(outsider, 'PATCH', byId(b, mine.id), { body: 'pwned' }),
      await send<ErrorBody>(outsider, 'DELETE', byId(b, mine.id)),
      await send<ErrorBody>(outsider, 'GET', onTask(b, taskId)),
      await send<ErrorBody>(outsider, 'POST', onTask(b, taskId), { body: 'into their task' }),
    ];
    expect(attempts.map((r) => r.status)).toEqual(attempts.map(() => 404));
    const missing = await send<ErrorBody>(outsider, 'GET', byId(b, crypto.randomUUID()));
    expect(attempts[1]?.body).toEqual(missing.body);
    expect(await send(a.actors.viewer, 'GET', byId(a, mine.id))).toMatchObject({ status: 200, body: { body: 'Secret remark', editedAt: null } });
    expect(await h.test.db.query('select id from comments where organization_id = $1', [b.organizationId])).toEqual([]);
  });
});
