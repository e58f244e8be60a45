import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type ErrorBody = { error: { code: string; message: string; details?: { path: string }[] } };

describe('restore API', () => {
  let h: ApiHarness;
  const org = () => `/api/v1/orgs/${h.tenantA.organizationId}`;
  async function send<T = { id: string }>(actor: Actor | null, method: string, path: string, body?: unknown) {
    const response = await h.request(actor, method, path, body);
    // Each call site names the shape it expects; the assertions then check it.
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }
  const restore = (actor: Actor, segment: string, id: string) => send<ErrorBody>(actor, 'POST', `${org()}/${segment}/${id}/restore`);
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  it("frees a deleted project's name and key, and restores it for admins unless a live project took them", async () => {
    const { actors } = h.tenantA;
    const first = (await send(actors.member, 'POST', `${org()}/projects`, { name: 'Alpha', key: 'ALPHA' })).body.id;
    expect((await send(actors.admin, 'DELETE', `${org()}/projects/${first}`)).status).toBe(204);
    const second = await send(actors.member, 'POST', `${org()}/projects`, { name: 'Alpha', key: 'ALPHA' });
    expect(second.status).toBe(201);

    expect(await restore(actors.member, 'projects', first)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const clash = await restore(actors.admin, 'projects', first);
    expect(clash).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: [{ path: 'name' }] } } });
    expect(clash.body.error.message).toBe('a live project already uses the name "Alpha"; rename one of them first');
    await send(actors.member, 'PATCH', `${org()}/projects/${second.body.id}`, { name: 'Alpha II' });
    expect(await restore(actors.admin, 'projects', first)).toMatchObject({ status: 409, body: { error: { details: [{ path: 'key' }] } } });
    expect(await h.test.db.query('select id from projects where id = $1 and deleted_at is not null', [first])).toHaveLength(1);

    await send(actors.admin, 'DELETE', `${org()}/projects/${second.body.id}`);
    expect((await restore(actors.admin, 'projects', first)).status).toBe(204);
    expect(await send(actors.viewer, 'GET', `${org()}/projects/${first}`)).toMatchObject({ status: 200, body: { name: 'Alpha', key: 'ALPHA' } });
    expect(await restore(actors.admin, 'projects', first)).toMatchObject({ status: 409, body: { error: { message: 'the project is not deleted' } } });
    const [audited] = await h.test.db.query<{ actor_user_id: string; changed_fields: string[] }>(
      `select actor_user_id, changed_fields from audit_logs where resource_id = $1 and action = 'update' order by created_at desc, id desc limit 1`,
      [first],
    );
    expect(audited).toMatchObject({ actor_user_id: actors.admin.userId, changed_fields: ['deleted_at'] });
  });

  it('restores tasks, comments, epics, documents and gaps, parent first, and frees a deleted slug', async () => {
    const { actors } = h.tenantA;
    const project = (await send(actors.member, 'POST', `${org()}/projects`, { name: 'Trash', key: 'TRASH' })).body.id;
    const task = (await send(actors.member, 'POST', `${org()}/projects/${project}/tasks`, { title: 'Thrown away' })).body.id;
    const comment = (await send(actors.member, 'POST', `${org()}/tasks/${task}/comments`, { body: 'Lost words' })).body.id;
    const epic = (await send(actors.member, 'POST', `${org()}/projects/${project}/epics`, { title: 'Gone' })).body.id;
    const gap = (await send(actors.member, 'POST', `${org()}/projects/${project}/gaps`, { title: 'Hole', gapType: 'process' })).body.id;
    const document = (await send(actors.member, 'POST', `${org()}/projects/${project}/documents`, { title: 'Spec' })).body.id;
    for (const path of [`comments/${comment}`, `tasks/${task}`, `epics/${epic}`, `gaps/${gap}`, `documents/${document}`]) {
      expect((await send(actors.admin, 'DELETE', `${org()}/${path}`)).status, path).toBe(204);
    }
    const parentFirst = await restore(actors.admin, 'comments', comment);
    expect(parentFirst).toMatchObject({ status: 409, body: { error: { message: "the comment's task is deleted; restore the task first" } } });

    const sameSlug = await send<{ id: string; slug: string }>(actors.member, 'POST', `${org()}/projects/${project}/documents`, { title: 'Spec' });
    expect(sameSlug).toMatchObject({ status: 201, body: { slug: 'spec' } });
    expect(await restore(actors.admin, 'documents', document)).toMatchObject({ status: 409, body: { error: { details: [{ path: 'slug' }] } } });
    await send(actors.member, 'DELETE', `${org()}/documents/${sameSlug.body.id}`);

    for (const [segment, id] of [['tasks', task], ['comments', comment], ['epics', epic], ['gaps', gap], ['documents', document]] as const) {
      expect((await restore(actors.admin, segment, id)).status, segment).toBe(204);
      expect((await send(actors.viewer, 'GET', `${org()}/${segment}/${id}`)).status, segment).toBe(200);
    }
  });

  it('refuses a restore beyond the retention period (TENANTRY_RETENTION_DAYS, default 30)', async () => {
    const { actors } = h.tenantA;
    const [project] = await h.test.db.query<{ id: string }>(`select id from projects where key = 'TRASH'`);
    const task = (await send(actors.member, 'POST', `${org()}/projects/${project?.id}/tasks`, { title: 'Old news' })).body.id;
    await send(actors.admin, 'DELETE', `${org()}/tasks/${task}`);
    await h.test.db.query(`update tasks set deleted_at = now() - interval '31 days' where id = $1`, [task]);
    const expired = await restore(actors.admin, 'tasks', task);
    expect(expired).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(expired.body.error.message).toMatch(/^the task was deleted on \d{4}-\d{2}-\d{2}, beyond the 30-day retention period/);
    process.env.TENANTRY_RETENTION_DAYS = '45';
    try {
      expect((await restore(actors.admin, 'tasks', task)).status).toBe(204);
    } finally {
      delete process.env.TENANTRY_RETENTION_DAYS;
    }
  });

  it("answers 404 for another tenant's deleted rows, exactly like missing ones, and restores nothing", async () => {
    const { actors } = h.tenantA;
    const [victim] = await h.test.db.query<{ id: string }>(`select id from projects where name = 'Alpha II'`);
    const outsider = h.tenantB.actors.owner;
    const viaOwnOrg = await send<ErrorBody>(outsider, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${victim?.id}/restore`);
    const viaVictimOrg = await send<ErrorBody>(outsider, 'POST', `${org()}/projects/${victim?.id}/restore`);
    const missing = await send<ErrorBody>(outsider, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${crypto.randomUUID()}/restore`);
    expect([viaOwnOrg.status, viaVictimOrg.status, missing.status]).toEqual([404, 404, 404]);
    expect(viaOwnOrg.body).toEqual(missing.body);
    expect(await restore(actors.admin, 'projects', 'not-a-uuid')).toMatchObject({ status: 400 });
    expect(await h.test.db.query('select id from projects where id = $1 and deleted_at is not null', [victim?.id])).toHaveLength(1);
  });
});
