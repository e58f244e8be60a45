import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { withTenant } from '../../db/tenant-context.js';
import { listProjectActivity } from './repository.js';

type Entry = {
  id: string;
  at: string;
  actor: { id: string; name: string; image: string | null } | null;
  action: string;
  subject: { type: string; id: string; name: string | null; taskRef: string | null; documentSlug: string | null };
  changes: { field: string; from: unknown; to: unknown }[];
};
type Page = { items: Entry[]; nextCursor: string | null };

describe('project activity API', () => {
  let h: ApiHarness;
  let projectId: string;
  let otherProjectId: string;
  const commentWords = 'words of a comment that was deleted';
  const documentWords = 'the body of a design document';

  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId: org, actors } = h.tenantA;
    const send = async (actor = actors.member, method: string, path: string, body?: unknown) => {
      const response = await h.request(actor, method, `/api/v1/orgs/${org}${path}`, body);
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      return response.status === 204 ? null : ((await response.json()) as { id: string; number: number; slug: string });
    };
    const project = await send(actors.member, 'POST', '/projects', { name: 'Activity', key: 'ACT' });
    const other = await send(actors.member, 'POST', '/projects', { name: 'Elsewhere', key: 'ELS' });
    projectId = project?.id ?? '';
    otherProjectId = other?.id ?? '';
    const task = await send(actors.member, 'POST', `/projects/${projectId}/tasks`, { title: 'Write the plan' });
    await send(actors.admin, 'PATCH', `/tasks/${task?.id}`, { status: 'in_progress', storyPoints: 3 });
    const comment = await send(actors.member, 'POST', `/tasks/${task?.id}/comments`, { body: commentWords });
    await send(actors.member, 'DELETE', `/comments/${comment?.id}`);
    await send(actors.member, 'POST', `/projects/${projectId}/sprints`, { name: 'Sprint one' });
    await send(actors.member, 'POST', `/projects/${projectId}/epics`, { title: 'Big theme' });
    await send(actors.member, 'POST', `/projects/${projectId}/documents`, { title: 'Design', content: documentWords });
    await send(actors.admin, 'POST', `/projects/${projectId}/members`, { userId: actors.viewer.userId, role: 'stakeholder' });
    await send(actors.admin, 'PATCH', `/projects/${projectId}`, { name: 'Activity renamed' });
    // Another project's rows, which the activity must not show.
    const elsewhere = await send(actors.member, 'POST', `/projects/${otherProjectId}/tasks`, { title: 'Not this project' });
    await send(actors.member, 'POST', `/tasks/${elsewhere?.id}/comments`, { body: 'A comment elsewhere' });
    await send(actors.member, 'POST', `/projects/${otherProjectId}/sprints`, { name: 'Not this sprint' });
  });
  afterAll(async () => {
    await h.destroy();
  });

  const path = (id: string, query = '', orgId = h.tenantA.organizationId) => `/api/v1/orgs/${orgId}/projects/${id}/activity${query}`;
  const read = async (query = '', actor = h.tenantA.actors.viewer) => {
    const response = await h.request(actor, 'GET', path(projectId, query));
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  it('tells a viewer who did what to which of the project’s rows, newest first, and nothing of another project', async () => {
    const { actors } = h.tenantA;
    const { items, nextCursor } = await read();
    expect(nextCursor).toBeNull();
    const line = (e: Entry) => [e.actor?.name ?? null, e.action, e.subject.type, e.subject.name, e.subject.taskRef];
    expect(items.map(line)).toEqual([
      ['a-admin', 'updated', 'project', 'Activity renamed', null],
      ['a-admin', 'created', 'project_member', 'a-viewer', null],
      ['a-member', 'created', 'document', 'Design', null],
      ['a-member', 'created', 'epic', 'Big theme', null],
      ['a-member', 'created', 'sprint', 'Sprint one', null],
      ['a-member', 'comment_deleted', 'comment', 'Write the plan', 'ACT-1'],
      ['a-member', 'commented', 'comment', 'Write the plan', 'ACT-1'],
      ['a-admin', 'updated', 'task', 'Write the plan', 'ACT-1'],
      ['a-member', 'created', 'task', 'Write the plan', 'ACT-1'],
      ['a-member', 'created', 'project', 'Activity', null],
    ]);
    expect(items[0]?.changes).toEqual([{ field: 'name', from: 'Activity', to: 'Activity renamed' }]);
    expect(items[2]?.subject.documentSlug).toBe('design');
    expect(items[7]?.changes).toEqual([
      { field: 'status', from: 'todo', to: 'in_progress' },
      { field: 'storyPoints', from: null, to: 3 },
    ]);
    expect(items[7]?.actor).toEqual({ id: actors.admin.userId, name: 'a-admin', image: null });
    const text = JSON.stringify(items);
    for (const hidden of ['Not this project', 'A comment elsewhere', 'Not this sprint', commentWords, documentWords, h.tenantA.organizationId]) {
      expect(text).not.toContain(hidden);
    }
  });

  it('pages by keyset without skipping or repeating an entry', async () => {
    const all = await read('?limit=100');
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages === 0 || cursor; pages++) {
      expect(pages, 'pages for 10 entries, 3 a page').toBeLessThan(4);
      const page: Page = await read(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.items.map((e) => e.id));
  });

  it('finds the same comments task by task (a small project) as by walking the organization’s comments (a large one)', async () => {
    const organizationId = h.tenantA.organizationId;
    const page = (perTaskLookupBelow: number, limit: number) =>
      withTenant(h.test.db, { organizationId }, (tx) => listProjectActivity(tx, organizationId, projectId, { after: null, limit }, perTaskLookupBelow));
    for (const limit of [100, 5]) {
      const perTask = await page(1_000, limit);
      expect(perTask.filter((row) => row.resourceType === 'comments')).toHaveLength(limit === 100 ? 2 : 1);
      expect((await page(1, limit)).map((row) => row.id)).toEqual(perTask.map((row) => row.id));
    }
  });

  it('finds nothing without a tenant in the transaction, even for the right project', async () => {
    const rows = await h.test.db.query<{ id: string }>('select app.project_activity_ids($1, null, null, 100) as id', [projectId]);
    expect(rows).toEqual([]);
  });

  it('answers 401 without a session, 404 for another tenant, an unknown or deleted project, 400 for a bad cursor or id', async () => {
    const { organizationId: org, actors } = h.tenantA;
    const outsider = h.tenantB.actors.owner;
    expect((await h.request(null, 'GET', path(projectId))).status).toBe(401);
    expect((await h.request(outsider, 'GET', path(projectId))).status).toBe(404);
    expect((await h.request(outsider, 'GET', path(projectId, '', h.tenantB.organizationId))).status).toBe(404);
    expect((await h.request(actors.viewer, 'GET', path(crypto.randomUUID()))).status).toBe(404);
    for (const bad of [path('not-a-project'), path(projectId, '?cursor=garbage'), path(projectId, '?limit=1000')]) {
      expect((await h.request(actors.viewer, 'GET', bad)).status, bad).toBe(400);
    }
    expect((await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${org}/projects/${otherProjectId}`)).status).toBe(204);
    expect((await h.request(actors.viewer, 'GET', path(otherProjectId))).status).toBe(404);
  });
});
