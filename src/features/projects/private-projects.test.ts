import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { subscribe } from '../../../test/support/plan.js';
import { type SseReader, readSse } from '../../../test/support/sse.js';

type Project = { id: string; key: string; visibility: string };

describe('private projects and project roles', () => {
  let h: ApiHarness;
  let keys = 0;
  const streams: SseReader[] = [];
  const org = () => `/api/v1/orgs/${h.tenantA.organizationId}`;
  beforeAll(async () => {
    h = await createApiHarness();
    await subscribe(h.test, h.tenantA.organizationId, 'pro');
  });
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.close()));
    await h.destroy();
  });

  const createProject = async (actor: Actor, body: Record<string, unknown> = {}) => {
    keys += 1;
    const response = await h.request(actor, 'POST', `${org()}/projects`, { name: `Private ${keys}`, key: `PRIV${keys}`, ...body });
    expect(response.status).toBe(201);
    return (await response.json()) as Project;
  };
  const addToProject = async (projectId: string, userId: string, role: string) =>
    expect((await h.request(h.tenantA.actors.admin, 'POST', `${org()}/projects/${projectId}/members`, { userId, role })).status).toBe(201);
  const status = async (actor: Actor, method: string, path: string, body?: unknown) => (await h.request(actor, method, `${org()}${path}`, body)).status;
  /** An organization project with a task and a document, and tenant A's member on it as `role`. */
  const projectWithWork = async (title: string, role: string) => {
    const { admin, member } = h.tenantA.actors;
    const project = await createProject(admin);
    const task = (await (await h.request(admin, 'POST', `${org()}/projects/${project.id}/tasks`, { title })).json()) as { id: string };
    const doc = (await (await h.request(admin, 'POST', `${org()}/projects/${project.id}/documents`, { title: 'Plan', type: 'note' })).json()) as { id: string };
    await addToProject(project.id, member.userId, role);
    return { project, task, doc };
  };

  it('takes a visibility on create and update, shows it, and refuses anything else with nothing written', async () => {
    const open = await createProject(h.tenantA.actors.member);
    expect(open.visibility).toBe('organization');
    const before = await h.test.db.query('select count(*)::int as n from projects');
    const bad = await h.request(h.tenantA.actors.member, 'POST', `${org()}/projects`, { name: 'Bad', key: 'BAD', visibility: 'secret' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'visibility' }] } });
    expect(await h.test.db.query('select count(*)::int as n from projects')).toEqual(before);

    const changed = await h.request(h.tenantA.actors.admin, 'PATCH', `${org()}/projects/${open.id}`, { visibility: 'private' });
    expect(await changed.json()).toMatchObject({ id: open.id, visibility: 'private' });
  });

  it('shows a private project and everything in it only to its members and the admins', async () => {
    const { owner, admin, member, viewer } = h.tenantA.actors;
    const project = await createProject(admin, { visibility: 'private' });
    const task = (await (await h.request(admin, 'POST', `${org()}/projects/${project.id}/tasks`, { title: 'Hidden work' })).json()) as { id: string };
    const comment = (await (await h.request(admin, 'POST', `${org()}/tasks/${task.id}/comments`, { body: 'hidden talk' })).json()) as { id: string };
    const doc = (await (await h.request(admin, 'POST', `${org()}/projects/${project.id}/documents`, { title: 'Hidden doc', type: 'note' })).json()) as { id: string };

    const reads = [`/projects/${project.id}`, `/projects/${project.id}/tasks`, `/tasks/${task.id}`, `/tasks/${project.key}-1`, `/tasks/${task.id}/comments`, `/comments/${comment.id}`, `/documents/${doc.id}`, `/projects/${project.id}/members`];
    for (const path of reads) {
      expect(await status(member, 'GET', path), path).toBe(404);
      expect(await status(owner, 'GET', path), path).toBe(200);
    }
    const listed = async (actor: Actor) => ((await (await h.request(actor, 'GET', `${org()}/projects`)).json()) as { items: Project[] }).items.map((p) => p.id);
    expect(await listed(member)).not.toContain(project.id);
    expect(await listed(owner)).toContain(project.id);
    // Writes by a non-member are the same 404, and change nothing.
    expect(await status(member, 'POST', `/projects/${project.id}/tasks`, { title: 'sneak' })).toBe(404);
    expect(await status(member, 'PATCH', `/tasks/${task.id}`, { title: 'renamed' })).toBe(404);
    expect(await status(member, 'POST', `/tasks/${task.id}/comments`, { body: 'sneak' })).toBe(404);
    const [row] = await h.test.db.query<{ title: string; n: number }>('select title, (select count(*)::int from tasks where project_id = $2) as n from tasks where id = $1', [task.id, project.id]);
    expect(row).toEqual({ title: 'Hidden work', n: 1 });

    // On the project, a member sees it all; a project viewer too.
    await addToProject(project.id, member.userId, 'contributor');
    await addToProject(project.id, viewer.userId, 'viewer');
    for (const path of reads) {
      expect(await status(member, 'GET', path), path).toBe(200);
      expect(await status(viewer, 'GET', path), path).toBe(200);
    }
  });

  it("makes a member who creates a private project its lead, who manages its members and who sees it", async () => {
    const { admin, member, viewer } = h.tenantA.actors;
    const project = await createProject(member, { visibility: 'private' });
    expect(await status(member, 'GET', `/projects/${project.id}`)).toBe(200);
    const members = (await (await h.request(member, 'GET', `${org()}/projects/${project.id}/members`)).json()) as { items: { userId: string; role: string }[] };
    expect(members.items).toEqual([expect.objectContaining({ userId: member.userId, role: 'lead' })]);
    expect(await status(member, 'POST', `/projects/${project.id}/members`, { userId: viewer.userId, role: 'viewer' })).toBe(201);
    expect(await status(member, 'PATCH', `/projects/${project.id}`, { visibility: 'organization' })).toBe(200);

    // A contributor works in the project but neither staffs it nor decides who sees it.
    const other = await createProject(admin);
    await addToProject(other.id, member.userId, 'contributor');
    expect(await status(member, 'POST', `/projects/${other.id}/members`, { userId: viewer.userId, role: 'viewer' })).toBe(403);
    expect(await status(member, 'PATCH', `/projects/${other.id}`, { visibility: 'private' })).toBe(403);
    expect(await status(member, 'PATCH', `/projects/${other.id}`, { name: 'Renamed by a contributor' })).toBe(200);
  });

  it('lets a project viewer read but change nothing of the project, with 403 as for the organization viewers', async () => {
    const { admin, member } = h.tenantA.actors;
    const { project, task, doc } = await projectWithWork('Look only', 'viewer');

    expect(await status(member, 'GET', `/tasks/${task.id}`)).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', `/projects/${project.id}/tasks`, { title: 'no' }],
      ['PATCH', `/tasks/${task.id}`, { title: 'no' }],
      ['POST', `/tasks/${task.id}/move`, {}],
      ['DELETE', `/tasks/${task.id}`, undefined],
      ['POST', `/tasks/${task.id}/comments`, { body: 'no' }],
      ['PATCH', `/documents/${doc.id}`, { content: 'no' }],
      ['POST', `/projects/${project.id}/sprints`, { name: 'no' }],
      ['POST', `/projects/${project.id}/epics`, { title: 'no' }],
      ['PATCH', `/projects/${project.id}`, { name: 'no' }],
      ['POST', `/projects/${project.id}/tasks/import`, { csv: 'Summary\nno', dryRun: true }],
    ];
    for (const [method, path, body] of writes) {
      const response = await h.request(member, method, `${org()}${path}`, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const [row] = await h.test.db.query<{ title: string; deleted: boolean }>('select title, deleted_at is not null as deleted from tasks where id = $1', [task.id]);
    expect(row).toEqual({ title: 'Look only', deleted: false });
    // Taking the viewer role away gives the member their organization rights back.
    await h.request(admin, 'PATCH', `${org()}/projects/${project.id}/members/${member.userId}`, { role: 'contributor' });
    expect(await status(member, 'PATCH', `/tasks/${task.id}`, { title: 'now yes' })).toBe(200);
  });

  it('lets a project stakeholder follow and discuss the work, and change nothing else', async () => {
    const { member } = h.tenantA.actors;
    const { project, task, doc } = await projectWithWork('Ship it', 'stakeholder');

    const said = await h.request(member, 'POST', `${org()}/tasks/${task.id}/comments`, { body: 'Customers ask for this by Friday.' });
    expect(said.status).toBe(201);
    const comment = (await said.json()) as { id: string };
    expect(await status(member, 'PATCH', `/comments/${comment.id}`, { body: 'Customers ask for this by Monday.' })).toBe(200);
    expect(await status(member, 'PUT', `/tasks/${task.id}/watch`, { watching: true })).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', `/projects/${project.id}/tasks`, { title: 'no' }],
      ['PATCH', `/tasks/${task.id}`, { title: 'no' }],
      ['DELETE', `/tasks/${task.id}`, undefined],
      ['PATCH', `/documents/${doc.id}`, { content: 'no' }],
      ['POST', `/projects/${project.id}/sprints`, { name: 'no' }],
      ['PATCH', `/projects/${project.id}`, { name: 'no' }],
    ];
    for (const [method, path, body] of writes) {
      const response = await h.request(member, method, `${org()}${path}`, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const [row] = await h.test.db.query<{ title: string; comments: number }>(
      'select title, (select count(*)::int from comments where task_id = $1) as comments from tasks where id = $1',
      [task.id],
    );
    expect(row).toEqual({ title: 'Ship it', comments: 1 });
  });

  it('tells nobody of a private project they are not on: not when mentioned, assigned or watching', async () => {
    const { owner, admin, member, viewer } = h.tenantA.actors;
    const handle = (actor: Actor) => `@${actor.email.split('@')[0]}`;
    const project = await createProject(admin, { visibility: 'private' });
    await addToProject(project.id, member.userId, 'contributor');
    const post = async (path: string, body: unknown) => {
      const response = await h.request(admin, 'POST', `${org()}${path}`, body);
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    const toldOf = async (taskId: string) =>
      (await h.test.db.query<{ who: string }>('select user_id::text as who from notifications where task_id = $1 order by 1', [taskId])).map((row) => row.who);
    const mentions = `${handle(owner)} ${handle(member)} ${handle(viewer)}`;

    // The one-trip create, and the ordinary one (a text beyond ASCII): the project member and
    // the owner are told, the viewer (on the organization, not the project) is not.
    const created = await post(`/projects/${project.id}/tasks`, { title: 'Plan', description: `Ask ${mentions}` });
    const unsure = await post(`/projects/${project.id}/tasks`, { title: 'Plän', description: `Fråga ${mentions}` });
    const told = [owner.userId, member.userId].sort();
    expect(await toldOf(created.id)).toEqual(told);
    expect(await toldOf(unsure.id)).toEqual(told);

    // A comment and an edit that mention them.
    const task = await post(`/projects/${project.id}/tasks`, { title: 'Quiet' });
    await post(`/tasks/${task.id}/comments`, { body: `Thoughts, ${mentions}?` });
    expect((await h.request(admin, 'PATCH', `${org()}/tasks/${task.id}`, { description: `Now ${mentions}` })).status).toBe(200);
    expect(await toldOf(task.id)).toEqual([...told, ...told].sort());

    // A watcher taken off the project hears nothing more of it; one still on it does.
    for (const watcher of [owner, member]) expect((await h.request(watcher, 'PUT', `${org()}/tasks/${task.id}/watch`, { watching: true })).status).toBe(200);
    expect((await h.request(admin, 'DELETE', `${org()}/projects/${project.id}/members/${member.userId}`)).status).toBeLessThan(300);
    await post(`/tasks/${task.id}/comments`, { body: 'Anyone?' });
    expect(await toldOf(task.id)).toEqual([...told, ...told, owner.userId].sort());
  });

  it('sends a member no live events about a private project they are not on', async () => {
    const { owner, admin, member } = h.tenantA.actors;
    const open = async (actor: Actor) => {
      const stream = readSse(await h.app.request(`${org()}/events`, { headers: { authorization: `Bearer ${actor.token}` } }));
      streams.push(stream);
      await stream.next((m) => m.comment === 'ready');
      return stream;
    };
    const hidden = await createProject(admin, { visibility: 'private' });
    const visible = await createProject(admin);
    const [outsider, insider] = [await open(member), await open(owner)];
    const secret = (await (await h.request(admin, 'POST', `${org()}/projects/${hidden.id}/tasks`, { title: 'secret' })).json()) as { id: string };
    const shown = (await (await h.request(admin, 'POST', `${org()}/projects/${visible.id}/tasks`, { title: 'shown' })).json()) as { id: string };

    await insider.next((m) => m.data?.includes(secret.id) === true);
    // Events keep their order, so once the later one has arrived the earlier one never will.
    await outsider.next((m) => m.data?.includes(shown.id) === true);
    expect(outsider.messages.some((m) => m.data?.includes(hidden.id))).toBe(false);
  });
});
