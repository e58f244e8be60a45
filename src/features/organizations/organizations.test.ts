import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Organization = { id: string; slug: string; name: string; role: string; ownerId: string; settings: Record<string, unknown> };

describe('organizations API', () => {
  let h: ApiHarness;
  let run = 0;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });
  const create = async (actor: Actor, slug = `org-${(run += 1)}-${Date.now()}`) => {
    const response = await h.request(actor, 'POST', '/api/v1/organizations', { name: `Org ${slug}`, slug });
    expect(response.status).toBe(201);
    return (await response.json()) as Organization;
  };

  it('creates an organization with its owner, a free subscription and a wrapped data key it never shows', async () => {
    const founder = await h.signUp('founder');
    const response = await h.request(founder, 'POST', '/api/v1/organizations', { name: 'Acme', slug: 'acme-corp' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Organization & Record<string, unknown>;
    expect(body).toMatchObject({ name: 'Acme', slug: 'acme-corp', role: 'owner', ownerId: founder.userId, settings: {} });
    expect(Object.keys(body).some((key) => /wrapped|key|ciphertext/i.test(key))).toBe(false);

    const [member] = await h.test.db.query(`select role from members where organization_id = $1 and user_id = $2`, [body.id, founder.userId]);
    expect(member).toEqual({ role: 'owner' });
    const [subscription] = await h.test.db.query(
      `select p.code, s.status from subscriptions s join subscription_plans p on p.id = s.plan_id where s.organization_id = $1`,
      [body.id],
    );
    expect(subscription).toEqual({ code: 'free', status: 'active' });
    const [organization] = await h.test.db.query<{ key: Uint8Array }>(`select wrapped_data_key as key from organizations where id = $1`, [body.id]);
    // version byte, 12-byte IV, 16-byte tag, 32-byte key
    expect(organization?.key.length).toBe(61);
    expect(organization?.key[0]).toBe(1);
    const [audit] = await h.test.db.query<{ new_values: Record<string, unknown>; actor_user_id: string }>(
      `select new_values, actor_user_id from audit_logs where organization_id = $1 and resource_type = 'organizations'`,
      [body.id],
    );
    expect(audit?.actor_user_id).toBe(founder.userId);
    expect(audit?.new_values).not.toHaveProperty('wrapped_data_key');

    const mine = (await (await h.request(founder, 'GET', '/api/v1/organizations')).json()) as { items: Organization[] };
    expect(mine.items).toEqual([expect.objectContaining({ id: body.id, role: 'owner' })]);
  });

  it("lists only the caller's organizations, each with the caller's role, page by page", async () => {
    const { actors, organizationId } = h.tenantA;
    const listed = (await (await h.request(actors.member, 'GET', '/api/v1/organizations')).json()) as { items: Organization[] };
    expect(listed.items).toEqual([expect.objectContaining({ id: organizationId, role: 'member' })]);

    const busy = await h.signUp('busy');
    const ids = [(await create(busy)).id, (await create(busy)).id, (await create(busy)).id];
    const first = (await (await h.request(busy, 'GET', '/api/v1/organizations?limit=2')).json()) as { items: Organization[]; nextCursor: string };
    expect(first.items).toHaveLength(2);
    const second = (await (await h.request(busy, 'GET', `/api/v1/organizations?limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: Organization[];
      nextCursor: string | null;
    };
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((o) => o.id).sort()).toEqual(ids.sort());
  });

  it('answers 401 without a session, before looking at the input', async () => {
    for (const [method, body] of [['GET', undefined], ['POST', { name: 'X', slug: 'x-anon' }], ['POST', { nonsense: true }]] as const) {
      const response = await h.request(null, method, '/api/v1/organizations', body);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    expect((await h.request(null, 'GET', `/api/v1/orgs/${h.tenantA.organizationId}`)).status).toBe(401);
  });

  it('rejects bad input naming the fields, a taken slug with 409, and writes nothing', async () => {
    const actor = h.tenantA.actors.viewer;
    const before = await h.test.db.query('select id from organizations order by id');
    const invalid = await h.request(actor, 'POST', '/api/v1/organizations', { name: '', slug: 'Not A Slug' });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { code: string; details: { path: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'slug']));
    expect((await h.request(actor, 'POST', '/api/v1/organizations', { name: 'X', slug: 'xx', plan: 'pro' })).status).toBe(400);
    const taken = await h.request(actor, 'POST', '/api/v1/organizations', { name: 'Copy', slug: h.tenantA.slug });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await h.test.db.query('select id from organizations order by id')).toEqual(before);
  });

  it('lets any member read the organization and admins change it', async () => {
    const { organizationId, actors } = h.tenantA;
    const read = await h.request(actors.viewer, 'GET', `/api/v1/orgs/${organizationId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: organizationId, role: 'viewer' });

    const changes = { name: 'Renamed', logo: 'https://cdn.example.test/logo.png', domain: 'acme.example', settings: { timezone: 'Europe/Paris', ai: { enabled: true } } };
    const changed = await h.request(actors.admin, 'PATCH', `/api/v1/orgs/${organizationId}`, changes);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ ...changes, role: 'admin' });

    const refused = await h.request(actors.member, 'PATCH', `/api/v1/orgs/${organizationId}`, { name: 'Mine now' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });

    const invalid = await h.request(actors.admin, 'PATCH', `/api/v1/orgs/${organizationId}`, {
      logo: 'javascript:alert(1)',
      domain: 'not a domain',
      settings: { colour: 'red' },
    });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['logo', 'domain', 'settings']));
    expect((await h.request(actors.admin, 'PATCH', `/api/v1/orgs/${organizationId}`, {})).status).toBe(400);
    expect(await (await h.request(actors.viewer, 'GET', `/api/v1/orgs/${organizationId}`)).json()).toMatchObject({ name: 'Renamed' });
  });

  it('lets only an owner delete the organization, which removes everything and its key', async () => {
    const founder = await h.signUp('deleter');
    const doomed = await create(founder);
    const admin = await h.signUp('doomed-admin');
    await h.test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, 'admin')`, [doomed.id, admin.userId]);

    const refused = await h.request(admin, 'DELETE', `/api/v1/orgs/${doomed.id}`);
    expect(refused.status).toBe(403);
    expect((await h.request(founder, 'DELETE', `/api/v1/orgs/${doomed.id}`)).status).toBe(204);

    expect(await h.test.db.query(`select id from organizations where id = $1`, [doomed.id])).toEqual([]);
    expect(await h.test.db.query(`select id from members where organization_id = $1`, [doomed.id])).toEqual([]);
    expect(await h.test.db.query(`select id from subscriptions where organization_id = $1`, [doomed.id])).toEqual([]);
    const trail = await h.test.db.query(
      `select action from audit_logs where organization_id = $1 and resource_type = 'organizations' order by created_at, action`,
      [doomed.id],
    );
    expect(trail).toEqual(expect.arrayContaining([{ action: 'delete' }]));
    expect((await h.request(founder, 'GET', `/api/v1/orgs/${doomed.id}`)).status).toBe(404);
  });

  it("answers 404 for another tenant's organization and leaves it unchanged", async () => {
    const { organizationId } = h.tenantA;
    const outsider = h.tenantB.actors.owner;
    const before = await h.test.db.query(`select name, updated_at from organizations where id = $1`, [organizationId]);
    const missing = await h.request(outsider, 'GET', `/api/v1/orgs/${crypto.randomUUID()}`);
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'Taken over' }], ['DELETE', undefined]] as const) {
      const response = await h.request(outsider, method, `/api/v1/orgs/${organizationId}`, body);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(await missing.clone().json());
    }
    expect(await h.test.db.query(`select name, updated_at from organizations where id = $1`, [organizationId])).toEqual(before);
    const listed = (await (await h.request(outsider, 'GET', '/api/v1/organizations')).json()) as { items: Organization[] };
    expect(listed.items.map((o) => o.id)).toEqual([h.tenantB.organizationId]);
  });
});
