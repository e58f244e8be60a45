import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

describe('projects API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/projects${rest}`;

  it('lets a member create, read, change, archive and list projects', async () => {
    const { organizationId, actors } = h.tenantA;
    const created = await h.request(actors.member, 'POST', path(organizationId), { name: 'Website', key: 'WEB' });
    expect(created.status).toBe(201);
    const project = (await created.json()) as { id: string; key: string; ownerId: string };
    expect(project).toMatchObject({ key: 'WEB', ownerId: actors.member.userId });

    const changed = await h.request(actors.member, 'PATCH', path(organizationId, `/${project.id}`), { status: 'active' });
    expect(await changed.json()).toMatchObject({ status: 'active' });
    expect((await h.request(actors.viewer, 'GET', path(organizationId, `/${project.id}`))).status).toBe(200);
    expect((await h.request(actors.member, 'POST', path(organizationId, `/${project.id}/archive`))).status).toBe(200);

    const listed = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?includeArchived=true`)).json()) as { items: { id: string }[] };
    expect(listed.items.map((p) => p.id)).toContain(project.id);
    const active = (await (await h.request(actors.viewer, 'GET', path(organizationId))).json()) as { items: { id: string }[] };
    expect(active.items.map((p) => p.id)).not.toContain(project.id);
  });

  it('refuses new tasks, sprints, epics and documents in an archived project with 409, until it is unarchived', async () => {
    const { organizationId, actors } = h.tenantA;
    const project = (await (await h.request(actors.member, 'POST', path(organizationId), { name: 'Shelved', key: 'SHELF' })).json()) as Record<string, unknown>;
    // What a project shows: who created it, and never its soft-delete stamp.
    expect(project).toMatchObject({ createdById: actors.member.userId });
    expect(project).not.toHaveProperty('deletedAt');
    const id = String(project.id);
    expect((await h.request(actors.member, 'POST', path(organizationId, `/${id}/archive`))).status).toBe(200);

    const work: [string, unknown][] = [['tasks', { title: 'Late' }], ['sprints', { name: 'Late' }], ['epics', { title: 'Late' }], ['documents', { title: 'Late' }]];
    for (const [resource, body] of work) {
      const refused = await h.request(actors.member, 'POST', path(organizationId, `/${id}/${resource}`), body);
      expect(refused.status, resource).toBe(409);
      expect(await refused.json()).toMatchObject({ error: { code: 'conflict', message: `project "Shelved" is archived and accepts no new ${resource}; unarchive it first` } });
    }
    for (const table of ['tasks', 'sprints', 'epics', 'documents']) {
      expect(await h.test.db.query(`select id from ${table} where project_id = $1`, [id]), table).toEqual([]);
    }

    expect((await h.request(actors.viewer, 'POST', path(organizationId, `/${id}/unarchive`))).status).toBe(403);
    const unarchived = await h.request(actors.member, 'POST', path(organizationId, `/${id}/unarchive`));
    expect(await unarchived.json()).toMatchObject({ id, archivedAt: null });
    const listed = (await (await h.request(actors.viewer, 'GET', path(organizationId))).json()) as { items: { id: string }[] };
    expect(listed.items.map((p) => p.id)).toContain(id);
    for (const [resource, body] of work) {
      expect((await h.request(actors.member, 'POST', path(organizationId, `/${id}/${resource}`), body)).status, resource).toBe(201);
    }
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { organizationId, actors } = h.tenantA;
    const anonymous = await h.request(null, 'GET', path(organizationId));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const viewer = await h.request(actors.viewer, 'POST', path(organizationId), { name: 'Nope', key: 'NOPE' });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await h.test.db.query('select id from projects');
    const cases: [unknown, string][] = [
      [{ name: '', key: 'lower' }, 'validation_failed'],
      [{ name: 'X', key: 'OK', extra: 1 }, 'validation_failed'],
      ['{"name": "broken json"', 'invalid_json'],
    ];
    for (const [body, code] of cases) {
      const response = await h.request(actors.owner, 'POST', path(organizationId), body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code } });
    }
    const invalid = (await (await h.request(actors.owner, 'POST', path(organizationId), { name: '', key: 'lower' })).json()) as {
      error: { details: { path: string }[] };
    };
    expect(invalid.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'key']));
    expect(await h.test.db.query('select id from projects')).toEqual(before);
  });

  it("answers 404 for another tenant's organization and project, exactly like missing ones", async () => {
    const mine = await h.request(h.tenantA.actors.owner, 'POST', path(h.tenantA.organizationId), { name: 'Secret', key: 'SEC' });
    const { id } = (await mine.json()) as { id: string };
    const outsider = h.tenantB.actors.owner;
    const viaOtherOrg = await h.request(outsider, 'GET', path(h.tenantA.organizationId, `/${id}`));
    const viaOwnOrg = await h.request(outsider, 'GET', path(h.tenantB.organizationId, `/${id}`));
    const missing = await h.request(outsider, 'GET', path(h.tenantB.organizationId, `/${crypto.randomUUID()}`));
    expect([viaOtherOrg.status, viaOwnOrg.status, missing.status]).toEqual([404, 404, 404]);
    expect(await viaOwnOrg.json()).toEqual(await missing.json());
  });

  it('stops at the plan limit even when requests race for the last slot', async () => {
    const { organizationId, actors } = h.tenantB;
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.request(actors.owner, 'POST', path(organizationId), { name: `P${i}`, key: `RACE${i}` })),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    const refused = attempts.find((r) => r.status === 403);
    expect(await refused?.json()).toMatchObject({ error: { code: 'limit_exceeded', details: { limit: 5 } } });
  });
});
