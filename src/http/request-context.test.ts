import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { createApp } from './app.js';

/**
 * The request id reaches the client on every kind of response, through a real Node server:
 * the header is set on the response object the route produced (request-context.ts), which must
 * work for our JSON, for Better Auth's own responses and for errors alike.
 */
describe('the request id header', () => {
  let h: ApiHarness;
  let baseUrl = '';
  let close: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    h = await createApiHarness();
    const app = createApp({ db: h.test.db, auth: h.auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
    await h.destroy();
  });

  const idOf = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    await response.body?.cancel();
    return { status: response.status, id: response.headers.get('x-request-id') };
  };

  it('echoes a sane X-Request-Id and makes one up otherwise, on JSON, Better Auth and error responses', async () => {
    expect(await idOf('/health', { headers: { 'x-request-id': 'trace-42' } })).toEqual({ status: 200, id: 'trace-42' });
    const made = await idOf('/health', { headers: { 'x-request-id': 'not sane; at all' } });
    expect(made.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await idOf('/api/auth/get-session', { headers: { 'x-request-id': 'auth-1' } })).toMatchObject({ id: 'auth-1' });
    expect(await idOf('/api/v1/organizations', { headers: { 'x-request-id': 'anon-1' } })).toEqual({ status: 401, id: 'anon-1' });
    expect(await idOf('/api/v1/no-such-route', { headers: { 'x-request-id': 'missing-1' } })).toEqual({ status: 404, id: 'missing-1' });
  });
});
