import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';

describe('the sign-in trail', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** As @hono/node-server passes it: the socket's peer. The forwarding header is the client's own invention. */
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    h.app.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'trail-test/1.0', 'x-forwarded-for': '203.0.113.7', ...headers },
        body: JSON.stringify(body),
      },
      { incoming: { socket: { remoteAddress: '::ffff:198.51.100.77' } } },
    );

  it('records sign-ins, failed sign-ins and sign-outs with IP and user agent', async () => {
    const actor = h.tenantA.actors.member;
    expect((await post('/api/auth/sign-in/email', { email: actor.email, password: 'wrong password!' })).status).toBe(401);
    const signedIn = await post('/api/auth/sign-in/email', { email: actor.email, password: 'correct horse battery' });
    expect(signedIn.status).toBe(200);
    const token = signedIn.headers.get('set-auth-token') ?? '';
    expect((await post('/api/auth/sign-out', {}, { authorization: `Bearer ${token}` })).status).toBe(200);

    const events = await h.test.db.query<{ action: string; email: string | null; ip_address: string | null; user_agent: string | null }>(
      `select action, email, ip_address, user_agent from auth_events
        where email = $1 or user_id = $2 order by created_at, action`,
      [actor.email, actor.userId],
    );
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.sign_in_failed', 'auth.sign_in', 'auth.sign_out']));
    const failed = events.find((e) => e.action === 'auth.sign_in_failed');
    // The socket's address, not the forged X-Forwarded-For, for failures and sign-ins alike.
    expect(failed).toMatchObject({ email: actor.email, ip_address: '198.51.100.77', user_agent: 'trail-test/1.0' });
    // The last one: the harness's sign-up signed in too, with no socket at all.
    expect(events.filter((e) => e.action === 'auth.sign_in').at(-1)).toMatchObject({ ip_address: '198.51.100.77' });
    // The password never reaches the trail.
    expect(JSON.stringify(events)).not.toContain('wrong password');
  });

  it('revokes the session on sign-out', async () => {
    const actor = h.tenantA.actors.viewer;
    const signedIn = await post('/api/auth/sign-in/email', { email: actor.email, password: 'correct horse battery' });
    const token = signedIn.headers.get('set-auth-token') ?? '';
    const orgPath = `/api/v1/orgs/${h.tenantA.organizationId}/projects`;
    expect((await h.app.request(orgPath, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await post('/api/auth/sign-out', {}, { authorization: `Bearer ${token}` });
    expect((await h.app.request(orgPath, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("refuses Better Auth's own member and invitation writes, which would skip plan limits and roles", async () => {
    const owner = h.tenantA.actors.owner;
    const invite = await h.request(owner, 'POST', '/api/auth/organization/invite-member', {
      organizationId: h.tenantA.organizationId, email: 'bypass@example.test', role: 'member',
    });
    expect(invite.status).toBe(404);
    expect(await invite.json()).toMatchObject({ code: 'NOT_FOUND' });
    const rows = await h.test.db.query(`select 1 from invitations where email = 'bypass@example.test'`);
    expect(rows).toEqual([]);
  });
});
