import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { subscribe } from '../../../test/support/plan.js';

type Permissions = { comment: boolean; write: boolean; manage: boolean };
type Project = { id: string; key: string; myRole: string | null; permissions: Permissions };

const NOTHING: Permissions = { comment: false, write: false, manage: false };
const EVERYTHING: Permissions = { comment: true, write: true, manage: true };

describe("projects carry the caller's project role and what it allows", () => {
  let h: ApiHarness;
  let keys = 0;
  const org = () => `/api/v1/orgs/${h.tenantA.organizationId}`;
  beforeAll(async () => {
    h = await createApiHarness();
    await subscribe(h.test, h.tenantA.organizationId, 'pro');
  });
  afterAll(async () => {
    await h.destroy();
  });

  const createProject = async (body: Record<string, unknown> = {}) => {
    keys += 1;
    const response = await h.request(h.tenantA.actors.owner, 'POST', `${org()}/projects`, { name: `Roles ${keys}`, key: `ROLE${keys}`, ...body });
    expect(response.status).toBe(201);
    return (await response.json()) as Project;
  };
  const addToProject = async (projectId: string, userId: string, role: string) =>
    expect((await h.request(h.tenantA.actors.owner, 'POST', `${org()}/projects/${projectId}/members`, { userId, role })).status).toBe(201);
  const listAs = async (actor: Actor, orgPath = org()) => {
    const response = await h.request(actor, 'GET', `${orgPath}/projects?limit=100&includeArchived=true`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Project[] }).items;
  };
  /** A second organization member, for a project role of their own. */
  const newMember = async (label: string) => {
    const actor = await h.signUp(label);
    await h.test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'member')`, [h.tenantA.organizationId, actor.userId]);
    return actor;
  };

  it('tells a private project\'s viewer, lead and admin their role and rights, and an organization member not on it nothing', async () => {
    const { admin, member: outsider } = h.tenantA.actors;
    const [viewer, lead] = [await newMember('project-viewer'), await newMember('project-lead')];
    const hidden = await createProject({ visibility: 'private' });
    await addToProject(hidden.id, viewer.userId, 'viewer');
    await addToProject(hidden.id, lead.userId, 'lead');

    const expected: [string, Actor, string | null, Permissions][] = [
      ['project viewer', viewer, 'viewer', NOTHING],
      ['project lead', lead, 'lead', EVERYTHING],
      ['organization admin, not on it', admin, null, EVERYTHING],
    ];
    for (const [who, actor, myRole, permissions] of expected) {
      const listed = (await listAs(actor)).find((project) => project.id === hidden.id);
      expect(listed, who).toMatchObject({ myRole, permissions });
      const read = await h.request(actor, 'GET', `${org()}/projects/${hidden.id}`);
      expect(await read.json(), who).toMatchObject({ myRole, permissions });
    }

    // The organization member who is not on it, and another organization's admin, learn nothing of it.
    const outside = await h.request(outsider, 'GET', `${org()}/projects?limit=100&includeArchived=true`);
    expect(await outside.text()).not.toContain(hidden.id);
    expect((await h.request(outsider, 'GET', `${org()}/projects/${hidden.id}`)).status).toBe(404);
    const otherTenant = await listAs(h.tenantB.actors.admin, `/api/v1/orgs/${h.tenantB.organizationId}`);
    expect(otherTenant.map((project) => project.id)).not.toContain(hidden.id);
  });

  it('lists, for every organization role and project role, exactly what the services then allow', async () => {
    const actors = { viewer: h.tenantA.actors.viewer, member: h.tenantA.actors.member, admin: h.tenantA.actors.admin };
    type Case = { project: Project; taskId: string; roleOf: Record<keyof typeof actors, string> };
    const cases: Case[] = [];
    const withTask = async (body: Record<string, unknown> = {}) => {
      const project = await createProject(body);
      const task = await h.request(h.tenantA.actors.owner, 'POST', `${org()}/projects/${project.id}/tasks`, { title: 'Probe' });
      return { project, taskId: ((await task.json()) as { id: string }).id };
    };
    for (const role of ['none', 'viewer', 'stakeholder', 'contributor', 'lead']) {
      const { project, taskId } = await withTask();
      if (role !== 'none') for (const actor of Object.values(actors)) await addToProject(project.id, actor.userId, role);
      cases.push({ project, taskId, roleOf: { viewer: role, member: role, admin: role } });
    }
    // A project each actor owns without being on it.
    for (const [name, actor] of Object.entries(actors)) {
      const { project, taskId } = await withTask({ ownerId: actor.userId });
      cases.push({ project, taskId, roleOf: { viewer: 'none', member: 'none', admin: 'none', [name]: 'owner' } });
    }

    // What the organization role allows first, then the project role (README "### Roles").
    const expectedFor = (orgRole: keyof typeof actors, projectRole: string): Permissions => {
      if (orgRole === 'admin') return EVERYTHING;
      if (orgRole === 'viewer') return NOTHING;
      return {
        none: { comment: true, write: true, manage: false },
        viewer: NOTHING,
        stakeholder: { comment: true, write: false, manage: false },
        contributor: { comment: true, write: true, manage: false },
        lead: EVERYTHING,
        owner: EVERYTHING,
      }[projectRole] ?? NOTHING;
    };

    for (const [name, actor] of Object.entries(actors) as [keyof typeof actors, Actor][]) {
      const listed = new Map((await listAs(actor)).map((project) => [project.id, project]));
      for (const { project, taskId, roleOf } of cases) {
        const where = `${name} as project ${roleOf[name]}`;
        const said = listed.get(project.id);
        expect(said?.myRole ?? 'none', where).toBe(roleOf[name] === 'owner' ? 'none' : roleOf[name]);
        expect(said?.permissions, where).toEqual(expectedFor(name, roleOf[name]));
        const permissions = said?.permissions ?? NOTHING;

        const comment = await h.request(actor, 'POST', `${org()}/tasks/${taskId}/comments`, { body: 'probe' });
        expect(comment.status, `${where}: comment`).toBe(permissions.comment ? 201 : 403);
        const archive = await h.request(actor, 'POST', `${org()}/projects/${project.id}/archive`);
        expect(archive.status, `${where}: archive`).toBe(permissions.write ? 200 : 403);
        if (archive.status === 200) await h.request(actor, 'POST', `${org()}/projects/${project.id}/unarchive`);
        const manage = await h.request(actor, 'PATCH', `${org()}/projects/${project.id}`, { visibility: 'organization' });
        expect(manage.status, `${where}: manage`).toBe(permissions.manage ? 200 : 403);
      }
    }
  });

  it('answers every project write with the caller\'s role and rights as they stand after it', async () => {
    const { member } = h.tenantA.actors;
    keys += 1;
    const created = await h.request(member, 'POST', `${org()}/projects`, { name: `Mine ${keys}`, key: `ROLE${keys}`, visibility: 'private' });
    const { id, ...mine } = (await created.json()) as Project;
    expect(mine).toMatchObject({ myRole: 'lead', permissions: EVERYTHING });
    // Handing the project to the owner leaves the member its lead.
    const handed = await h.request(member, 'PATCH', `${org()}/projects/${id}`, { ownerId: h.tenantA.actors.owner.userId });
    expect(await handed.json()).toMatchObject({ myRole: 'lead', permissions: EVERYTHING });
    await h.request(h.tenantA.actors.owner, 'PATCH', `${org()}/projects/${id}/members/${member.userId}`, { role: 'contributor' });
    const archived = await h.request(member, 'POST', `${org()}/projects/${id}/archive`);
    expect(await archived.json()).toMatchObject({ myRole: 'contributor', permissions: { comment: true, write: true, manage: false } });
    const open = await h.request(member, 'POST', `${org()}/projects`, { name: `Open ${keys}`, key: `OPEN${keys}` });
    // The creator owns an organization project without being on it.
    expect(await open.json()).toMatchObject({ myRole: null, permissions: EVERYTHING });
  });
});
