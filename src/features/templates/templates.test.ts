import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Template = { id: string; organizationId: string | null; isPublic: boolean; name: string; category: string };

describe('templates API', () => {
  let h: ApiHarness;
  let publicId: string;
  let otherTenantsId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    // The platform publishes public templates; the server only reads them (a grant of select).
    const [row] = await h.test.db.query<{ id: string }>(
      `insert into public_templates (name, category, content) values ('Public PRD', 'document', '{"sections": ["Goals"]}') returning id`,
    );
    publicId = row?.id ?? '';
    const created = await h.request(h.tenantB.actors.member, 'POST', path(h.tenantB.organizationId), { name: "B's story", category: 'story' });
    otherTenantsId = ((await created.json()) as Template).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  function path(orgId: string, rest = '') {
    return `/api/v1/orgs/${orgId}/templates${rest}`;
  }
  const nameOf = async (id: string) =>
    (await h.test.db.query<{ name: string }>(`select name from templates where id = $1 union all select name from public_templates where id = $1`, [id]))[0]?.name;

  it("lists the organization's templates and the public ones, never another tenant's", async () => {
    const { organizationId, actors } = h.tenantA;
    const created = await h.request(actors.member, 'POST', path(organizationId), { name: 'Sprint review', category: 'project', content: { steps: 3 } });
    expect(created.status).toBe(201);
    const own = (await created.json()) as Template;
    expect(own).toMatchObject({ organizationId, isPublic: false, name: 'Sprint review', content: { steps: 3 } });

    const ids = async (query = '') => {
      const page = (await (await h.request(actors.viewer, 'GET', path(organizationId, query))).json()) as { items: Template[] };
      return page.items.map((t) => t.id).sort();
    };
    expect(await ids()).toEqual([own.id, publicId].sort());
    expect(await ids('?scope=organization')).toEqual([own.id]);
    expect(await ids('?scope=public')).toEqual([publicId]);
    expect(await ids('?category=document')).toEqual([publicId]);
    const first = (await (await h.request(actors.viewer, 'GET', path(organizationId, '?limit=1'))).json()) as { items: Template[]; nextCursor: string };
    const second = (await (await h.request(actors.viewer, 'GET', path(organizationId, `?limit=1&cursor=${first.nextCursor}`))).json()) as { items: Template[] };
    expect([...first.items, ...second.items].map((t) => t.id).sort()).toEqual(await ids());

    const publicOne = await h.request(actors.viewer, 'GET', path(organizationId, `/${publicId}`));
    expect(await publicOne.json()).toMatchObject({ id: publicId, organizationId: null, isPublic: true });
  });

  it("lets members change and delete the organization's templates", async () => {
    const { organizationId, actors } = h.tenantA;
    const { id } = (await (await h.request(actors.member, 'POST', path(organizationId), { name: 'Draft', category: 'prompt' })).json()) as Template;
    const changed = await h.request(actors.member, 'PATCH', path(organizationId, `/${id}`), { name: 'Final', description: 'Kick-off prompt' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ name: 'Final', description: 'Kick-off prompt', category: 'prompt' });
    expect((await h.request(actors.member, 'DELETE', path(organizationId, `/${id}`))).status).toBe(204);
    expect((await h.request(actors.member, 'GET', path(organizationId, `/${id}`))).status).toBe(404);
  });

  it('keeps public templates read-only (403) for everyone, owners included', async () => {
    const { organizationId, actors } = h.tenantA;
    const change = await h.request(actors.owner, 'PATCH', path(organizationId, `/${publicId}`), { name: 'Mine' });
    expect(change.status).toBe(403);
    expect(await change.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await h.request(actors.owner, 'DELETE', path(organizationId, `/${publicId}`))).status).toBe(403);
    expect(await nameOf(publicId)).toBe('Public PRD');
  });

  it('keeps public templates apart from every tenant: the server role may only read them', async () => {
    const [grants] = await h.test.db.query<{ select: boolean; insert: boolean; update: boolean; delete: boolean }>(
      `select has_table_privilege('tenantry_app', 'public_templates', 'select') as select,
              has_table_privilege('tenantry_app', 'public_templates', 'insert') as insert,
              has_table_privilege('tenantry_app', 'public_templates', 'update') as update,
              has_table_privilege('tenantry_app', 'public_templates', 'delete') as delete`,
    );
    expect(grants).toEqual({ select: true, insert: false, update: false, delete: false });
    const [templatesKey] = await h.test.db.query<{ nullable: boolean }>(
      `select not attnotnull as nullable from pg_attribute where attrelid = 'templates'::regclass and attname = 'organization_id'`,
    );
    expect(templatesKey?.nullable).toBe(false);
  });

  it('answers 401 without a session, 403 for a viewer writing, and 400 naming bad fields, writing nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const { id } = (await (await h.request(actors.member, 'POST', path(organizationId), { name: 'Keep', category: 'story' })).json()) as Template;
    expect((await h.request(null, 'GET', path(organizationId))).status).toBe(401);
    expect((await h.request(null, 'POST', path(organizationId), { name: 'X', category: 'story' })).status).toBe(401);
    expect((await h.request(actors.viewer, 'POST', path(organizationId), { name: 'X', category: 'story' })).status).toBe(403);
    expect((await h.request(actors.viewer, 'PATCH', path(organizationId, `/${id}`), { name: 'X' })).status).toBe(403);
    expect((await h.request(actors.viewer, 'DELETE', path(organizationId, `/${id}`))).status).toBe(403);

    const before = await h.test.db.query('select id, name from templates order by id');
    const invalid = await h.request(actors.member, 'POST', path(organizationId), { name: '', category: 'poem' });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'category']));
    expect((await h.request(actors.member, 'POST', path(organizationId), { name: 'X', category: 'story', organizationId: null })).status).toBe(400);
    expect((await h.request(actors.member, 'PATCH', path(organizationId, `/${id}`), { content: 'text' })).status).toBe(400);
    expect((await h.request(actors.member, 'PATCH', path(organizationId, `/${id}`), {})).status).toBe(400);
    expect(await h.test.db.query('select id, name from templates order by id')).toEqual(before);
  });

  it("answers 404 for another tenant's templates and leaves them unchanged", async () => {
    const { organizationId, actors } = h.tenantA;
    const missing = await h.request(actors.owner, 'GET', path(organizationId, `/${crypto.randomUUID()}`));
    const responses = [
      await h.request(actors.owner, 'GET', path(organizationId, `/${otherTenantsId}`)),
      await h.request(actors.owner, 'PATCH', path(organizationId, `/${otherTenantsId}`), { name: 'Stolen' }),
      await h.request(actors.owner, 'DELETE', path(organizationId, `/${otherTenantsId}`)),
      await h.request(actors.owner, 'GET', path(h.tenantB.organizationId, `/${otherTenantsId}`)),
    ];
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect(await responses[0]?.json()).toEqual(await missing.json());
    expect(await nameOf(otherTenantsId)).toBe("B's story");
  });
});
