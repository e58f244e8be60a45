import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { slugFromTitle } from './service.js';

type Document = { id: string; slug: string; title: string; type: string; status: string; publishedAt: string | null; content?: string };

describe('documents API', () => {
  let h: ApiHarness;
  let projectA: string;
  let projectB: string;
  beforeAll(async () => {
    h = await createApiHarness();
    projectA = await createProject(h.tenantA.organizationId, h.tenantA.actors.member, 'DOCA');
    projectB = await createProject(h.tenantB.organizationId, h.tenantB.actors.member, 'DOCB');
  });
  afterAll(async () => {
    await h.destroy();
  });
  const createProject = async (organizationId: string, actor: Actor, key: string) => {
    const response = await h.request(actor, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: `Docs ${key}`, key });
    return ((await response.json()) as { id: string }).id;
  };
  const inProject = (orgId: string, projectId: string, query = '') => `/api/v1/orgs/${orgId}/projects/${projectId}/documents${query}`;
  const one = (orgId: string, id: string, rest = '') => `/api/v1/orgs/${orgId}/documents/${id}${rest}`;
  const create = async (body: Record<string, unknown>) => {
    const response = await h.request(h.tenantA.actors.member, 'POST', inProject(h.tenantA.organizationId, projectA), body);
    expect(response.status).toBe(201);
    return (await response.json()) as Document;
  };

  it('derives slugs from titles', () => {
    expect(slugFromTitle('Déjà vu: Q3 plan!')).toBe('deja-vu-q3-plan');
    expect(slugFromTitle('  --  ')).toBe('untitled');
  });

  it('lets a member write, publish, archive and delete documents, and anyone read them', async () => {
    const { organizationId, actors } = h.tenantA;
    const created = await create({ title: 'Payment Service PRD', type: 'prd', content: 'Refunds must settle within a day.' });
    expect(created).toMatchObject({ slug: 'payment-service-prd', type: 'prd', status: 'draft', publishedAt: null });
    expect(created).not.toHaveProperty('searchVector');

    const read = await h.request(actors.viewer, 'GET', one(organizationId, created.id));
    expect(await read.json()).toMatchObject({ content: 'Refunds must settle within a day.' });
    const changed = await h.request(actors.member, 'PATCH', one(organizationId, created.id), { title: 'Payments PRD', metadata: { owner: 'ops' } });
    expect(await changed.json()).toMatchObject({ title: 'Payments PRD', slug: 'payment-service-prd', metadata: { owner: 'ops' } });

    const published = (await (await h.request(actors.member, 'POST', one(organizationId, created.id, '/publish'))).json()) as Document;
    expect(published.status).toBe('published');
    expect(published.publishedAt).not.toBeNull();
    const republished = (await (await h.request(actors.member, 'POST', one(organizationId, created.id, '/publish'))).json()) as Document;
    expect(republished.publishedAt).toBe(published.publishedAt);
    const archived = await h.request(actors.member, 'POST', one(organizationId, created.id, '/archive'));
    expect(await archived.json()).toMatchObject({ status: 'archived' });

    expect((await h.request(actors.member, 'DELETE', one(organizationId, created.id))).status).toBe(204);
    expect((await h.request(actors.viewer, 'GET', one(organizationId, created.id))).status).toBe(404);
    const [row] = await h.test.db.query(`select deleted_at is not null as deleted from documents where id = $1`, [created.id]);
    expect(row).toEqual({ deleted: true });
    const listed = (await (await h.request(actors.viewer, 'GET', inProject(organizationId, projectA))).json()) as { items: Document[] };
    expect(listed.items.map((d) => d.id)).not.toContain(created.id);
  });

  it('filters by type, status and full text, page by page, without content in lists', async () => {
    const { organizationId, actors } = h.tenantA;
    const spec = await create({ title: 'Search spec', type: 'spec', content: 'The indexer tokenizes invoices.' });
    const note = await create({ title: 'Standup note', type: 'note', content: 'Nothing about billing.' });
    const design = await create({ title: 'Invoice design', type: 'design', content: 'Layout of the page.' });
    await h.request(actors.member, 'POST', one(organizationId, design.id, '/publish'));
    const ids = async (query: string) => {
      const response = await h.request(actors.viewer, 'GET', inProject(organizationId, projectA, query));
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: Document[] };
      page.items.forEach((item) => expect(item).not.toHaveProperty('content'));
      return page.items.map((d) => d.id);
    };
    expect(await ids('?type=spec')).toEqual([spec.id]);
    expect(await ids('?status=published')).toEqual([design.id]);
    expect((await ids('?q=invoice')).sort()).toEqual([spec.id, design.id].sort());
    expect(await ids('?q=billing -invoice')).toEqual([note.id]);

    const first = (await (await h.request(actors.viewer, 'GET', inProject(organizationId, projectA, '?limit=2'))).json()) as { items: Document[]; nextCursor: string };
    const rest = (await (await h.request(actors.viewer, 'GET', inProject(organizationId, projectA, `?limit=2&cursor=${first.nextCursor}`))).json()) as { items: Document[] };
    expect([...first.items, ...rest.items].map((d) => d.id).sort()).toEqual((await ids('')).sort());
  });

  it('answers 409 for a slug already used in the project, and 401/403 for the wrong caller', async () => {
    const { organizationId, actors } = h.tenantA;
    await create({ title: 'Roadmap' });
    const clash = await h.request(actors.member, 'POST', inProject(organizationId, projectA), { title: 'Roadmap' });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await h.request(actors.member, 'POST', inProject(organizationId, projectA), { title: 'Roadmap', slug: 'roadmap-2' })).status).toBe(201);

    const doc = await create({ title: 'Viewer target' });
    expect((await h.request(null, 'GET', inProject(organizationId, projectA))).status).toBe(401);
    expect((await h.request(null, 'GET', one(organizationId, doc.id))).status).toBe(401);
    expect((await h.request(actors.viewer, 'POST', inProject(organizationId, projectA), { title: 'Nope' })).status).toBe(403);
    for (const [method, rest, body] of [['PATCH', '', { title: 'Nope' }], ['POST', '/publish', undefined], ['POST', '/archive', undefined], ['DELETE', '', undefined]] as const) {
      const response = await h.request(actors.viewer, method, one(organizationId, doc.id, rest), body);
      expect(response.status).toBe(403);
    }
    expect(await (await h.request(actors.viewer, 'GET', one(organizationId, doc.id))).json()).toMatchObject({ title: 'Viewer target', status: 'draft' });
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const doc = await create({ title: 'Stable' });
    const before = await h.test.db.query('select id, title, slug, status from documents order by id');
    const invalid = await h.request(actors.member, 'POST', inProject(organizationId, projectA), { title: '', slug: 'Bad Slug', type: 'memo' });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['title', 'slug', 'type']));
    expect((await h.request(actors.member, 'POST', inProject(organizationId, projectA), { title: 'X', status: 'published' })).status).toBe(400);
    expect((await h.request(actors.member, 'PATCH', one(organizationId, doc.id), { status: 'published' })).status).toBe(400);
    expect((await h.request(actors.member, 'PATCH', one(organizationId, doc.id), {})).status).toBe(400);
    expect((await h.request(actors.member, 'GET', inProject(organizationId, projectA, '?status=gone'))).status).toBe(400);
    expect(await h.test.db.query('select id, title, slug, status from documents order by id')).toEqual(before);
  });

  it('answers 404 under a deleted or missing project', async () => {
    const { organizationId, actors } = h.tenantA;
    const deleted = await createProject(organizationId, actors.member, 'DOCDEL');
    expect((await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${organizationId}/projects/${deleted}`)).status).toBe(204);
    for (const projectId of [deleted, crypto.randomUUID()]) {
      expect((await h.request(actors.member, 'GET', inProject(organizationId, projectId))).status).toBe(404);
      expect((await h.request(actors.member, 'POST', inProject(organizationId, projectId), { title: 'Orphan' })).status).toBe(404);
    }
    expect(await h.test.db.query(`select id from documents where project_id = $1`, [deleted])).toEqual([]);
  });

  it("answers 404 for another tenant's projects and documents, and leaves them unchanged", async () => {
    const { organizationId } = h.tenantA;
    const doc = await create({ title: 'Confidential' });
    const outsider = h.tenantB.actors.owner;
    const own = h.tenantB.organizationId;
    const responses = [
      await h.request(outsider, 'GET', inProject(own, projectA)),
      await h.request(outsider, 'POST', inProject(own, projectA), { title: 'Planted' }),
      await h.request(outsider, 'GET', inProject(organizationId, projectA)),
      await h.request(outsider, 'GET', one(own, doc.id)),
      await h.request(outsider, 'PATCH', one(own, doc.id), { title: 'Stolen' }),
      await h.request(outsider, 'POST', one(own, doc.id, '/publish')),
      await h.request(outsider, 'POST', one(own, doc.id, '/archive')),
      await h.request(outsider, 'DELETE', one(own, doc.id)),
      await h.request(outsider, 'GET', one(organizationId, doc.id)),
    ];
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 404));
    const missing = await h.request(outsider, 'GET', one(own, crypto.randomUUID()));
    expect(await responses[3]?.json()).toEqual(await missing.json());
    expect(await h.test.db.query(`select title, status, deleted_at from documents where id = $1`, [doc.id])).toEqual([
      { title: 'Confidential', status: 'draft', deleted_at: null },
    ]);
    expect(await h.test.db.query(`select id from documents where organization_id = $1`, [own])).toEqual([]);
    expect((await h.request(outsider, 'GET', inProject(own, projectB))).status).toBe(200);
  });
});
