import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { subscribe } from '../../../test/support/plan.js';

type ProjectMember = { id: string; projectId: string; userId: string; role: string; name: string; email: string };

describe('project members API', () => {
  let h: ApiHarness;
  let keys = 0;
  beforeAll(async () => {
    h = await createApiHarness();
    // Every test makes its own projects: more than the free plan's five.
    await subscribe(h.test, h.tenantA.organizationId, 'pro');
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, projectId: string, rest = '') => `/api/v1/orgs/${orgId}/projects/${projectId}/members${rest}`;
  /** A project in tenant A, owned by whoever creates it. */
  const project = async (creator: Actor = h.tenantA.actors.admin) => {
    const response = await h.request(creator, 'POST', `/api/v1/orgs/${h.tenantA.organizationId}/projects`, { name: `Team ${(keys += 1)}`, key: `TEAM${keys}` });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const add = async (projectId: string, userId: string, role: string, actor: Actor = h.tenantA.actors.admin) =>
    h.request(actor, 'POST', path(h.tenantA.organizationId, projectId), { userId, role });
  const rolesIn = async (projectId: string) =>
    h.test.db.query<{ user_id: string; role: string }>(`select user_id, role from project_members where project_id = $1 order by user_id`, [projectId]);

  it('lets an admin staff a project, change roles and take people off', async () => {
    const { organizationId, actors } = h.tenantA;
    const projectId = await project();
    const added = await add(projectId, actors.member.userId, 'contributor');
    expect(added.status).toBe(201);
    const member = (await added.json()) as ProjectMember;
    expect(member).toMatchObject({ projectId, userId: actors.member.userId, role: 'contributor', email: actors.member.email });

    const listed = (await (await h.request(actors.viewer, 'GET', path(organizationId, projectId))).json()) as { items: ProjectMember[] };
    expect(listed.items.map((m) => m.userId)).toEqual([actors.member.userId]);
    // A person is named by their user id; the project membership's own id is never asked for.
    expect((await h.request(actors.admin, 'PATCH', path(organizationId, projectId, `/${member.id}`), { role: 'lead' })).status).toBe(404);
    const changed = await h.request(actors.admin, 'PATCH', path(organizationId, projectId, `/${member.userId}`), { role: 'lead' });
    expect(await changed.json()).toMatchObject({ id: member.id, role: 'lead' });
    expect((await h.request(actors.admin, 'DELETE', path(organizationId, projectId, `/${member.userId}`))).status).toBe(204);
    expect(await rolesIn(projectId)).toEqual([]);
  });

  it("lets the project's lead and owner manage it, but not other members or viewers", async () => {
    const { organizationId, actors } = h.tenantA;
    const ownedByMember = await project(actors.member);
    expect((await add(ownedByMember, actors.viewer.userId, 'viewer', actors.member)).status).toBe(201);

    const projectId = await project();
    const lead = (await (await add(projectId, actors.member.userId, 'lead')).json()) as ProjectMember;
    expect((await add(projectId, actors.viewer.userId, 'stakeholder', actors.member)).status).toBe(201);
    await h.request(actors.admin, 'PATCH', path(organizationId, projectId, `/${lead.userId}`), { role: 'contributor' });
    const refused = await add(projectId, actors.owner.userId, 'viewer', actors.member);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });

    // A viewer is never a manager, even as the project's lead.
    await h.test.db.query(`update project_members set role = 'lead' where project_id = $1 and user_id = $2`, [projectId, actors.viewer.userId]);
    expect((await add(projectId, actors.owner.userId, 'viewer', actors.viewer)).status).toBe(403);
    expect((await h.request(actors.viewer, 'PATCH', path(organizationId, projectId, `/${lead.userId}`), { role: 'viewer' })).status).toBe(403);
    expect((await h.request(actors.viewer, 'DELETE', path(organizationId, projectId, `/${lead.userId}`))).status).toBe(403);
    expect(await rolesIn(projectId)).toEqual(
      [
        { user_id: actors.member.userId, role: 'contributor' },
        { user_id: actors.viewer.userId, role: 'lead' },
      ].sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );
  });

  it('adds only members of the organization, once each', async () => {
    const projectId = await project();
    const outsider = await add(projectId, h.tenantB.actors.member.userId, 'viewer');
    const nobody = await add(projectId, crypto.randomUUID(), 'viewer');
    expect([outsider.status, nobody.status]).toEqual([404, 404]);
    expect(await outsider.json()).toEqual(await nobody.json());
    expect((await add(projectId, h.tenantA.actors.viewer.userId, 'viewer')).status).toBe(201);
    const twice = await add(projectId, h.tenantA.actors.viewer.userId, 'lead');
    expect(twice.status).toBe(409);
    // The unique index (organization_id, project_id, user_id) names the field the client sent.
    expect(await twice.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'userId' }] } });
    expect(await rolesIn(projectId)).toEqual([{ user_id: h.tenantA.actors.viewer.userId, role: 'viewer' }]);
  });

  it('answers 401 without a session and rejects bad input naming the fields, writing nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const projectId = await project();
    const member = (await (await add(projectId, actors.member.userId, 'contributor')).json()) as ProjectMember;
    expect((await h.request(null, 'GET', path(organizationId, projectId))).status).toBe(401);
    expect((await h.request(null, 'POST', path(organizationId, projectId), { userId: actors.viewer.userId })).status).toBe(401);

    const invalid = await h.request(actors.admin, 'POST', path(organizationId, projectId), { userId: 'me', role: 'captain' });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['userId', 'role']));
    expect((await h.request(actors.admin, 'POST', path(organizationId, projectId), { userId: actors.viewer.userId, admin: true })).status).toBe(400);
    expect((await h.request(actors.admin, 'PATCH', path(organizationId, projectId, `/${member.userId}`), { role: 'owner' })).status).toBe(400);
    expect(await rolesIn(projectId)).toEqual([{ user_id: actors.member.userId, role: 'contributor' }]);
  });

  it("answers 404 for another tenant's projects and project members, and leaves them unchanged", async () => {
    const { organizationId, actors } = h.tenantA;
    const projectId = await project();
    const member = (await (await add(projectId, actors.member.userId, 'contributor')).json()) as ProjectMember;
    const outsider = h.tenantB.actors.owner;
    const own = h.tenantB.organizationId;
    const responses = [
      await h.request(outsider, 'GET', path(own, projectId)),
      await h.request(outsider, 'POST', path(own, projectId), { userId: outsider.userId }),
      await h.request(outsider, 'PATCH', path(own, projectId, `/${member.userId}`), { role: 'lead' }),
      await h.request(outsider, 'DELETE', path(own, projectId, `/${member.userId}`)),
      await h.request(outsider, 'GET', path(organizationId, projectId)),
    ];
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    const missing = await h.request(outsider, 'GET', path(own, crypto.randomUUID()));
    expect(await responses[0]?.json()).toEqual(await missing.json());
    expect(await rolesIn(projectId)).toEqual([{ user_id: actors.member.userId, role: 'contributor' }]);
  });
});
