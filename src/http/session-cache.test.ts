import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { createSessionCache } from './session-cache.js';

const TTL_MS = 400;

describe('the session cache', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness({ sessionCacheMs: TTL_MS });
  });
  afterAll(async () => {
    await h.destroy();
  });

  const signIn = async (actor: Actor): Promise<Actor> => {
    const response = await h.app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: actor.email, password: 'correct horse battery' }),
    });
    expect(response.status).toBe(200);
    return { ...actor, token: response.headers.get('set-auth-token') ?? '' };
  };
  const projects = (actor: Actor) => h.request(actor, 'GET', `/api/v1/orgs/${h.tenantA.organizationId}/projects`);
  const sessionsInDatabase = async (token: string) =>
    (await h.test.db.query<{ n: number }>('select count(*)::int as n from sessions where token = $1', [token.split('.')[0] ?? '']))[0]?.n;

  it('reuses a resolved session for a short while, then asks the database again', async () => {
    const actor = await signIn(h.tenantA.actors.member);
    expect((await projects(actor)).status).toBe(200);
    // Revoked behind this process's back (as another server process would): still cached …
    expect(await sessionsInDatabase(actor.token)).toBe(1);
    await h.test.db.query('delete from sessions where token = $1', [actor.token.split('.')[0] ?? '']);
    expect((await projects(actor)).status).toBe(200);
    // … and refused once the cache entry has lapsed.
    await new Promise((done) => setTimeout(done, TTL_MS + 100));
    expect((await projects(actor)).status).toBe(401);
  });

  it('asks once for credentials that several requests bring at the same moment', async () => {
    const actor = await signIn(h.tenantA.actors.member);
    const asked = vi.spyOn(h.auth.api, 'getSession');
    try {
      const statuses = await Promise.all(Array.from({ length: 8 }, async () => (await projects(actor)).status));
      expect(statuses).toEqual(Array.from({ length: 8 }, () => 200));
      expect(asked).toHaveBeenCalledTimes(1);
    } finally {
      asked.mockRestore();
    }
  });

  it('forgets a session at once when it is signed out through this process', async () => {
    const actor = await signIn(h.tenantA.actors.member);
    expect((await projects(actor)).status).toBe(200);
    const out = await h.app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${actor.token}` },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect((await projects(actor)).status).toBe(401);
  });

  it('reads no cached session, on the quick path or the other, while it cannot hear other processes', async () => {
    const actor = await signIn(h.tenantA.actors.member);
    let listening = true;
    const sessions = createSessionCache(h.auth, { ttlMs: 60_000, events: { publish: () => Promise.resolve(), subscribe: () => undefined, listening: () => listening, close: () => Promise.resolve() } });
    const headers = new Headers({ authorization: `Bearer ${actor.token}` });
    expect(await sessions.userIdOf(headers)).toBe(actor.userId);
    expect(sessions.knownUserIdOf(headers)).toBe(actor.userId);
    expect(sessions.knownUserIdOf(new Headers())).toBeNull();
    // Deaf (a lost LISTEN connection) without having been told to forget: a sign-out elsewhere would go unheard.
    listening = false;
    expect(sessions.knownUserIdOf(headers)).toBeUndefined();
    const asked = vi.spyOn(h.auth.api, 'getSession');
    try {
      expect(await sessions.userIdOf(headers)).toBe(actor.userId);
      expect(asked).toHaveBeenCalledTimes(1);
    } finally {
      asked.mockRestore();
    }
  });
});
