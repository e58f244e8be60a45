import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { OPEN_ORGANIZATION_ENDPOINTS } from './organization-endpoints.js';

describe("Better Auth's organization endpoints", () => {
  let h: ApiHarness;
  let documented: Array<{ path: string; method: string }> = [];
  beforeAll(async () => {
    h = await createApiHarness();
    // Better Auth's own description of its routes: a route it adds in an upgrade shows up here.
    const document = await h.auth.api.generateOpenAPISchema();
    documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/organization/'))
      .flatMap(([path, item]) => Object.keys(item as object).map((method) => ({ path, method: method.toUpperCase() })));
  });
  afterAll(async () => {
    await h.destroy();
  });

  const writes = async () => {
    const [row] = await h.test.db.query<{ n: string }>(
      `select ((select count(*) from organizations) + (select count(*) from members) + (select count(*) from invitations)
               + (select count(*) from audit_logs))::text as n`,
    );
    return row?.n;
  };

  it('refuses every endpoint that is not deliberately open, in its own error shape, writing nothing', async () => {
    expect(documented.length).toBeGreaterThan(10);
    // Every allow-list entry is a real route (a renamed one must not stay open by a stale name).
    for (const open of Object.keys(OPEN_ORGANIZATION_ENDPOINTS)) expect(documented.map((d) => d.path)).toContain(open);
    const owner = h.tenantA.actors.owner;
    const unexpected: string[] = [];
    for (const { path, method } of documented) {
      if (path in OPEN_ORGANIZATION_ENDPOINTS) continue;
      const before = await writes();
      const body = { organizationId: h.tenantA.organizationId, name: 'Bypass', slug: `bypass-${path.length}`, email: 'bypass@example.test', role: 'member' };
      const response = await h.request(owner, method, `/api/auth${path}?organizationId=${h.tenantA.organizationId}`, method === 'GET' ? undefined : body);
      const payload = (await response.json()) as { code?: unknown; message?: unknown };
      if (response.status !== 404 || typeof payload.code !== 'string' || typeof payload.message !== 'string') {
        unexpected.push(`${method} ${path} → ${response.status} ${JSON.stringify(payload)}`);
      }
      if ((await writes()) !== before) unexpected.push(`${method} ${path} wrote`);
    }
    expect(unexpected).toEqual([]);
  });

  it('answers 400, not 500, for ids that are not UUIDs, in JSON', async () => {
    const owner = h.tenantA.actors.owner;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/auth/organization/get-full-organization?organizationId=.'],
      ['GET', '/api/auth/organization/get-invitation?id=nope'],
      ['GET', '/api/auth/organization/get-organization?organizationId=nope'],
      ['POST', '/api/auth/organization/set-active', { organizationId: 'nope' }],
      ['POST', '/api/auth/organization/set-active', { organizationId: 42 }],
      ['POST', '/api/auth/organization/set-active', '[]'],
      ['POST', '/api/auth/organization/set-active', 'not json'],
    ];
    for (const [method, path, body] of attempts) {
      const response = await h.request(owner, method, path, body);
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
      const payload = (await response.json()) as { code?: unknown; message?: unknown };
      expect(typeof payload.code, `${method} ${path}`).toBe('string');
      expect(typeof payload.message, `${method} ${path}`).toBe('string');
    }
    expect(h.logLines.filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it("never clears the session's active organization when refusing an organization the caller is not in", async () => {
    const owner = h.tenantA.actors.owner;
    const activate = await h.request(owner, 'POST', '/api/auth/organization/set-active', { organizationId: h.tenantA.organizationId });
    expect(activate.status).toBe(200);
    const active = async () =>
      (await h.test.db.query<{ id: string | null }>(`select active_organization_id as id from sessions where user_id = $1`, [owner.userId])).map((r) => r.id);
    expect(await active()).toContain(h.tenantA.organizationId);
    const before = await active();

    const other = h.tenantB.organizationId;
    const refusals = [
      await h.request(owner, 'POST', '/api/auth/organization/set-active', { organizationId: other }),
      await h.request(owner, 'POST', '/api/auth/organization/set-active', { organizationSlug: h.tenantB.slug }),
      await h.request(owner, 'GET', `/api/auth/organization/get-full-organization?organizationId=${other}`),
      await h.request(owner, 'GET', `/api/auth/organization/get-organization?organizationId=${other}`),
    ];
    for (const response of refusals) {
      expect([403, 404]).toContain(response.status);
      expect(await response.json()).toMatchObject({ code: expect.any(String) as unknown, message: expect.any(String) as unknown });
    }
    expect(await active()).toEqual(before);
  });
});
