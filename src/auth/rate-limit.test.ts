import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { createApp } from '../http/app.js';
import { createAuth } from './auth.js';
import { SIGN_IN_LIMITS } from './sign-in-limit.js';

/** What @hono/node-server passes as the request's bindings: the socket's peer address. */
const fromPeer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('sign-in limits', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  const signIn = (peer: string, email: string, password: string, app = h.app) =>
    app.request(
      '/api/auth/sign-in/email',
      {
        method: 'POST',
        // A forged forwarding header on every attempt: an untrusted peer's is ignored.
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 250)}` },
        body: JSON.stringify({ email, password }),
      },
      fromPeer(peer),
    );

  it('limits failures per address: rotating accounts and forged X-Forwarded-For do not help', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.address; i++) statuses.push((await signIn('198.51.100.1', `nobody-${i}@example.test`, 'guessing-password')).status);
    expect(statuses).toEqual(Array(SIGN_IN_LIMITS.address).fill(401));
    const limited = await signIn('198.51.100.1', 'nobody-else@example.test', 'guessing-password');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowSeconds);
    expect(await limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // While it holds, even the right password is refused from that address.
    expect((await signIn('198.51.100.1', h.tenantA.actors.viewer.email, 'correct horse battery')).status).toBe(429);
    // Another address is not punished for the first one's guessing.
    expect((await signIn('198.51.100.2', h.tenantA.actors.viewer.email, 'correct horse battery')).status).toBe(200);
  });

  it('limits failures per account across addresses, the same for unknown emails, refusing the right password too', async () => {
    const known = h.tenantA.actors.member.email.toUpperCase();
    const unknown = 'Nobody-At-All@example.test';
    for (let i = 0; i < SIGN_IN_LIMITS.email; i++) {
      expect((await signIn(`198.51.100.${10 + i}`, known, 'guessing-password')).status).toBe(401);
      expect((await signIn(`198.51.100.${10 + i}`, unknown, 'guessing-password')).status).toBe(401);
    }
    const knownLimited = await signIn('198.51.100.30', h.tenantA.actors.member.email, 'correct horse battery');
    const unknownLimited = await signIn('198.51.100.31', unknown.toLowerCase(), 'correct horse battery');
    expect([knownLimited.status, unknownLimited.status]).toEqual([429, 429]);
    expect(await knownLimited.json()).toEqual(await unknownLimited.json());
    expect(knownLimited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(unknownLimited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('never counts successes', async () => {
    const actor = h.tenantA.actors.admin;
    for (let i = 0; i < 15; i++) expect((await signIn('198.51.100.40', actor.email, 'correct horse battery')).status).toBe(200);
    for (let i = 0; i < SIGN_IN_LIMITS.email - 1; i++) expect((await signIn('198.51.100.40', actor.email, 'a typo typo')).status).toBe(401);
    expect((await signIn('198.51.100.40', actor.email, 'correct horse battery')).status).toBe(200);
  });

  it('counts in the database, so a second server process sees the first one\'s failures', async () => {
    const auth = createAuth({ db: h.test.db, secret: randomBytes(32).toString('hex'), baseUrl: 'http://localhost' });
    const other = createApp({ db: h.test.db, auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir });
    const actor = h.tenantB.actors.viewer;
    for (let i = 0; i < SIGN_IN_LIMITS.email; i++) {
      expect((await signIn(`198.51.100.${50 + i}`, actor.email, 'guessing-password', i % 2 === 0 ? h.app : other)).status).toBe(401);
    }
    expect((await signIn('198.51.100.60', actor.email, 'correct horse battery', other)).status).toBe(429);
    expect((await signIn('198.51.100.61', actor.email, 'correct horse battery', h.app)).status).toBe(429);
  });
});

describe('reset and verification mail request limits', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  it("answer the fourth request a minute from one address with 429, Retry-After and Better Auth's error shape", async () => {
    // The harness turns Better Auth's limiter off (its sign-ups come from no address); this app has it on, as a server does.
    const auth = createAuth({ db: h.test.db, secret: randomBytes(32).toString('hex'), baseUrl: 'http://localhost', signInPerMinute: 300 });
    const app = createApp({ db: h.test.db, auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir });
    const post = (path: string, peer: string) =>
      app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: h.tenantA.actors.member.email }) }, fromPeer(peer));
    for (const path of ['/api/auth/request-password-reset', '/api/auth/send-verification-email']) {
      for (let i = 0; i < 3; i++) expect((await post(path, '198.51.100.70')).status, path).toBe(200);
      const limited = await post(path, '198.51.100.70');
      expect(limited.status, path).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect((await post(path, '198.51.100.71')).status, path).toBe(200);
    }
  });
});
