import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { encodeAuditCursor } from './cursor.js';

type Entry = { id: string; organizationId: string; actorUserId: string | null; action: string; resourceType: string; resourceId: string | null; createdAt: string };
type Page = { items: Entry[]; nextCursor: string | null };

describe('audit logs API', () => {
  let h: ApiHarness;
  let projectId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    const created = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Audited', key: 'AUD' });
    projectId = ((await created.json()) as { id: string }).id;
    await h.request(actors.admin, 'PATCH', `/api/v1/orgs/${organizationId}/projects/${projectId}`, { status: 'active' });
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, query = '') => `/api/v1/orgs/${orgId}/audit-logs${query}`;
  const list = async (query = '', orgId = h.tenantA.organizationId) => {
    const response = await h.request(h.tenantA.actors.admin, 'GET', path(orgId, query));
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  it('shows admins who changed what, newest first, filtered', async () => {
    const { actors } = h.tenantA;
    const project = await list(`?resourceType=projects&resourceId=${projectId}`);
    expect(project.items.map((e) => [e.action, e.actorUserId])).toEqual([
      ['update', actors.admin.userId],
      ['insert', actors.member.userId],
    ]);
    expect(project.items[0]).toMatchObject({ changedFields: ['status'], requestId: expect.any(String) as unknown });
    const byMember = await list(`?actorId=${actors.member.userId}&resourceType=projects`);
    expect(byMember.items.map((e) => e.action)).toEqual(['insert']);

    const [insert, update] = [project.items[1], project.items[0]];
    const beforeUpdate = await list(`?resourceId=${projectId}&to=${encodeURIComponent(update?.createdAt ?? '')}`);
    expect(beforeUpdate.items.map((e) => e.id)).toEqual([insert?.id]);
    const fromUpdate = await list(`?resourceId=${projectId}&from=${encodeURIComponent(update?.createdAt ?? '')}`);
    expect(fromUpdate.items.map((e) => e.id)).toContain(update?.id);
  });

  it('pages through entries written in the same instant without skipping or repeating any', async () => {
    const { organizationId } = h.tenantA;
    // One transaction, one created_at: only the id orders these.
    await h.test.db.query(
      `insert into audit_logs (organization_id, action, resource_type, created_at)
       select $1, 'app.bulk', 'bulk', '2020-01-01T00:00:00.123456Z' from generate_series(1, 7)`,
      [organizationId],
    );
    const all = await list('?resourceType=bulk&limit=100');
    expect(all.items).toHaveLength(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?resourceType=bulk&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));
    expect(new Set(seen).size).toBe(7);

    const full = await list('?limit=100');
    const times = full.items.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers 401 without a session, 403 below admin, and 400 for bad filters or cursors', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await h.request(null, 'GET', path(organizationId))).status).toBe(401);
    for (const actor of [actors.member, actors.viewer]) {
      const response = await h.request(actor, 'GET', path(organizationId));
      expect(response.status).toBe(403);
    }
    expect((await h.request(actors.owner, 'GET', path(organizationId))).status).toBe(200);

    const invalid = await h.request(actors.admin, 'GET', path(organizationId, '?actorId=me&from=yesterday&limit=1000'));
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['actorId', 'from', 'limit']));
    for (const cursor of ['garbage', encodeAuditCursor({ at: 'yesterday', id: crypto.randomUUID() }), Buffer.from(crypto.randomUUID()).toString('base64url')]) {
      const response = await h.request(actors.admin, 'GET', path(organizationId, `?cursor=${cursor}`));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'cursor' }] } });
    }
  });

  it("answers 404 for another tenant's trail and never shows its entries", async () => {
    const outsider = h.tenantB.actors.owner;
    expect((await h.request(outsider, 'GET', path(h.tenantA.organizationId))).status).toBe(404);
    const own = await h.request(outsider, 'GET', path(h.tenantB.organizationId, `?resourceId=${projectId}`));
    expect(await own.json()).toEqual({ items: [], nextCursor: null });
    const everything = (await (await h.request(outsider, 'GET', path(h.tenantB.organizationId, '?limit=100'))).json()) as Page;
    expect(everything.items.every((e) => e.organizationId === h.tenantB.organizationId)).toBe(true);
  });
});
