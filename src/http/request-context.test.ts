import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { createApp } from './app.js';
import type { AppEnv } from './env.js';
import { handleError } from './errors.js';
import { requestContext } from './request-context.js';

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

/**
 * The access log's line and an error's line, as an operator reads them: the request id in each,
 * in the place a logger bound to it would put it (request-context.ts writes the access line
 * through the process's logger, and makes a bound one only for an error).
 */
describe('the request log lines', () => {
  const lines: string[] = [];
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })));
  app.onError(handleError);
  app.get('/fine', (c) => c.json({ fine: true }));
  app.get('/failing', () => {
    throw new Error('a failure no code expects');
  });

  const parsed = (line: string | undefined): Record<string, unknown> => JSON.parse(line ?? '{}') as Record<string, unknown>;

  it('writes one access line per request, the request id first after the logger\'s own fields', async () => {
    lines.length = 0;
    expect((await app.request('/fine', { headers: { 'x-request-id': 'log-line-1' } })).status).toBe(200);
    expect(lines).toHaveLength(1);
    const line = parsed(lines[0]);
    expect(Object.keys(line)).toEqual(['level', 'time', 'pid', 'hostname', 'requestId', 'method', 'path', 'status', 'ms', 'msg']);
    expect(line).toMatchObject({ level: 30, requestId: 'log-line-1', method: 'GET', path: '/fine', status: 200, msg: 'request' });
  });

  it('stamps the request id on an unhandled error\'s line, and answers with it', async () => {
    lines.length = 0;
    const response = await app.request('/failing', { headers: { 'x-request-id': 'log-line-2' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal', message: 'internal error (request log-line-2)' } });
    const [error, access] = lines.map(parsed);
    expect(Object.keys(error ?? {}).slice(0, 6)).toEqual(['level', 'time', 'pid', 'hostname', 'requestId', 'err']);
    expect(error).toMatchObject({ level: 50, requestId: 'log-line-2', msg: 'unhandled error', err: { message: 'a failure no code expects' } });
    expect(access).toMatchObject({ requestId: 'log-line-2', status: 500, msg: 'request' });
  });
});
