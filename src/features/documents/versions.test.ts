import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Version = { id: string; documentId: string; version: number; title: string; authorId: string | null; author?: { id: string; name: string; image: string | null } | null; restoredFrom: number | null; createdAt: string; content?: string };
type Page = { items: Version[]; nextCursor: string | null };
type Diff = { from: number; to: number; title: { from: string; to: string; changed: boolean }; parts: { kind: string; value: string; lines: number }[]; patch: string };

describe('document versions API', () => {
  let h: ApiHarness;
  let projectId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    const response = await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${h.tenantA.organizationId}/projects`, { name: 'Versions', key: 'VER' });
    projectId = ((await response.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });

  const org = () => h.tenantA.organizationId;
  const one = (id: string, rest = '', orgId = org()) => `/api/v1/orgs/${orgId}/documents/${id}${rest}`;
  const send = async <T>(actor: Actor, method: string, path: string, body?: unknown, status = 200) => {
    const response = await h.request(actor, method, path, body);
    expect(response.status, `${method} ${path}`).toBe(status);
    return (await response.json()) as T;
  };
  const create = async (title: string, content: string) =>
    send<{ id: string }>(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/documents`, { title, content }, 201);
  const versionsOf = async (id: string, query = '', actor = h.tenantA.actors.viewer) => send<Page>(actor, 'GET', one(id, `/versions${query}`));
  const storedVersions = async (id: string) =>
    h.test.db.query<{ version: number; title: string; content: string }>(
      'select version, title, content from document_versions where document_id = $1 order by version',
      [id],
    );

  it('makes version 1 on creation and the next one on every save, with author and time', async () => {
    const { actors } = h.tenantA;
    const doc = await create('Plan', 'Line one\nLine two\n');
    expect((await versionsOf(doc.id)).items.map((v) => [v.version, v.authorId])).toEqual([[1, actors.member.userId]]);

    await send(actors.member, 'PATCH', one(doc.id), { content: 'Line one\nLine 2\n' });
    await send(actors.admin, 'PATCH', one(doc.id), { title: 'Plan B', metadata: { owner: 'ops' } });
    const page = await versionsOf(doc.id);
    expect(page.items.map((v) => [v.version, v.title, v.authorId, v.restoredFrom])).toEqual([
      [3, 'Plan B', actors.admin.userId, null],
      [2, 'Plan', actors.member.userId, null],
      [1, 'Plan', actors.member.userId, null],
    ]);
    page.items.forEach((item) => expect(item).not.toHaveProperty('content'));
    expect(page.items[0]?.author).toEqual({ id: actors.admin.userId, name: 'a-admin', image: null });
    expect(Date.parse(page.items[0]?.createdAt ?? '')).toBeGreaterThanOrEqual(Date.parse(page.items[1]?.createdAt ?? ''));

    const second = await send<Version>(actors.viewer, 'GET', one(doc.id, '/versions/2'));
    expect(second).toMatchObject({ version: 2, title: 'Plan', content: 'Line one\nLine 2\n' });

    // Publishing and archiving change the status, not the text: no version.
    await send(actors.member, 'POST', one(doc.id, '/publish'));
    expect((await versionsOf(doc.id)).items).toHaveLength(3);
  });

  it('pages newest first', async () => {
    const { actors } = h.tenantA;
    const doc = await create('Paged', 'v1');
    for (const text of ['v2', 'v3', 'v4', 'v5']) await send(actors.member, 'PATCH', one(doc.id), { content: text });
    const first = await versionsOf(doc.id, '?limit=2');
    expect(first.items.map((v) => v.version)).toEqual([5, 4]);
    const second = await versionsOf(doc.id, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((v) => v.version)).toEqual([3, 2]);
    const last = await versionsOf(doc.id, `?limit=2&cursor=${second.nextCursor}`);
    expect(last).toEqual({ items: [expect.objectContaining({ version: 1 })], nextCursor: null });
  });

  it('shows the difference between two versions', async () => {
    const { actors } = h.tenantA;
    const doc = await create('Spec', 'alpha\nbeta\ngamma\n');
    await send(actors.member, 'PATCH', one(doc.id), { title: 'Spec v2', content: 'alpha\nBETA\ngamma\ndelta\n' });
    const diff = await send<Diff>(actors.viewer, 'GET', one(doc.id, '/versions/diff?from=1&to=2'));
    expect(diff.title).toEqual({ from: 'Spec', to: 'Spec v2', changed: true });
    expect(diff.parts).toEqual([
      { kind: 'unchanged', value: 'alpha\n', lines: 1 },
      { kind: 'removed', value: 'beta\n', lines: 1 },
      { kind: 'added', value: 'BETA\n', lines: 1 },
      { kind: 'unchanged', value: 'gamma\n', lines: 1 },
      { kind: 'added', value: 'delta\n', lines: 1 },
    ]);
    expect(diff.patch).toContain('--- version 1');
    expect(diff.patch).toContain('+++ version 2');
    expect(diff.patch).toContain('-beta\n+BETA\n');
    const same = await send<Diff>(actors.viewer, 'GET', one(doc.id, '/versions/diff?from=2&to=2'));
    expect(same.parts.every((part) => part.kind === 'unchanged')).toBe(true);
    expect(same.title.changed).toBe(false);

    expect((await h.request(actors.viewer, 'GET', one(doc.id, '/versions/diff?from=1&to=9'))).status).toBe(404);
    expect((await h.request(actors.viewer, 'GET', one(doc.id, '/versions/diff?from=0&to=1'))).status).toBe(400);
    expect((await h.request(actors.viewer, 'GET', one(doc.id, '/versions/diff?from=x'))).status).toBe(400);
    // No range: the newest save against the one before it; from alone: against the newest.
    expect(await send<Diff>(actors.viewer, 'GET', one(doc.id, '/versions/diff'))).toEqual(diff);
    await send(actors.member, 'PATCH', one(doc.id), { content: 'omega\n' });
    expect(await send<Diff>(actors.viewer, 'GET', one(doc.id, '/versions/diff?from=1'))).toMatchObject({ from: 1, to: 3 });
    expect(await send<Diff>(actors.viewer, 'GET', one(doc.id, '/versions/diff'))).toMatchObject({ from: 2, to: 3 });
  });

  it('restores a version as a new one, for members and up only', async () => {
    const { actors } = h.tenantA;
    const doc = await create('Draft', 'first text');
    await send(actors.member, 'PATCH', one(doc.id), { title: 'Draft (edited)', content: 'second text' });

    expect((await h.request(actors.viewer, 'POST', one(doc.id, '/versions/1/restore'))).status).toBe(403);
    expect(await storedVersions(doc.id)).toHaveLength(2);

    const restored = await send<{ title: string; content: string }>(actors.admin, 'POST', one(doc.id, '/versions/1/restore'));
    expect(restored).toMatchObject({ title: 'Draft', content: 'first text' });
    const [newest] = (await versionsOf(doc.id)).items;
    expect(newest).toMatchObject({ version: 3, title: 'Draft', restoredFrom: 1, authorId: actors.admin.userId });
    expect(await send(actors.viewer, 'GET', one(doc.id))).toMatchObject({ title: 'Draft', content: 'first text' });

    expect((await h.request(actors.member, 'POST', one(doc.id, '/versions/7/restore'))).status).toBe(404);
    expect(await storedVersions(doc.id)).toHaveLength(3);
  });

  it('writes no version when the save fails, and none for a deleted document', async () => {
    const { actors } = h.tenantA;
    await create('Taken', '');
    const doc = await create('Free', 'text');
    expect((await h.request(actors.member, 'PATCH', one(doc.id), { slug: 'taken', content: 'changed' })).status).toBe(409);
    expect(await storedVersions(doc.id)).toEqual([{ version: 1, title: 'Free', content: 'text' }]);

    expect((await h.request(actors.member, 'DELETE', one(doc.id))).status).toBe(204);
    for (const [method, rest] of [['GET', '/versions'], ['GET', '/versions/1'], ['GET', '/versions/diff?from=1&to=1'], ['POST', '/versions/1/restore']] as const) {
      expect((await h.request(actors.member, method, one(doc.id, rest))).status, `${method} ${rest}`).toBe(404);
    }
    expect(await storedVersions(doc.id)).toHaveLength(1);
  });

  it('numbers concurrent saves of one document without a gap or a duplicate', async () => {
    const { actors } = h.tenantA;
    const doc = await create('Busy', 'start');
    const saves = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.request(i % 2 ? actors.admin : actors.member, 'PATCH', one(doc.id), { content: `save ${i}` })),
    );
    expect(saves.map((r) => r.status)).toEqual(saves.map(() => 200));
    const stored = await storedVersions(doc.id);
    expect(stored.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The newest version is the document's text.
    const current = await send<{ content: string }>(actors.viewer, 'GET', one(doc.id));
    expect(stored.at(-1)?.content).toBe(current.content);
  });

  it("answers 404 for another tenant's document versions and writes nothing", async () => {
    const doc = await create('Secret', 'classified');
    const outsider = h.tenantB.actors.owner;
    const own = h.tenantB.organizationId;
    const responses = [];
    for (const orgId of [own, org()]) {
      for (const [method, rest] of [['GET', '/versions'], ['GET', '/versions/1'], ['GET', '/versions/diff?from=1&to=1'], ['POST', '/versions/1/restore']] as const) {
        responses.push(await h.request(outsider, method, one(doc.id, rest, orgId)));
      }
    }
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 404));
    expect(await storedVersions(doc.id)).toEqual([{ version: 1, title: 'Secret', content: 'classified' }]);
    expect(await h.test.db.query('select id from document_versions where organization_id = $1', [own])).toEqual([]);
    expect((await h.request(null, 'GET', one(doc.id, '/versions'))).status).toBe(401);
  });
});
