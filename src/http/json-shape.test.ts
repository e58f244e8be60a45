import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { createApp } from './app.js';
import { jsonShapeViolation } from './json-shape.js';

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('the JSON shape limit', () => {
  it('names the top-level field that nests too deep, without recursing', () => {
    expect(jsonShapeViolation(`{"name":"x","settings":${deep(20_000)}}`)).toMatchObject({ path: 'settings' });
    expect(jsonShapeViolation(`{"a\\u0062":{"c":${deep(40)}}}`)).toMatchObject({ path: 'ab' });
    expect(jsonShapeViolation(deep(33))).toMatchObject({ path: '(body)' });
    // Brackets inside strings are text, not nesting.
    expect(jsonShapeViolation(JSON.stringify({ note: '['.repeat(5000), quote: '\\"[[[' }))).toBeNull();
    expect(jsonShapeViolation(JSON.stringify({ settings: { a: { b: [1, 2, { c: 3 }] } } }))).toBeNull();
    expect(jsonShapeViolation(JSON.stringify({ items: Array.from({ length: 10_001 }, () => ({})) }))).toMatchObject({ path: 'items' });
  });
});

describe('hostile bodies at the edge', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('answers 400 naming the field for 20,000 levels of free-form JSON, and writes nothing', async () => {
    const owner = h.tenantA.actors.owner;
    const [{ n: before } = { n: '' }] = await h.test.db.query<{ n: string }>(`select count(*)::text as n from audit_logs`);
    const body = `{"name":"Deep","key":"DEEP","settings":{"x":${deep(20_000)}}}`;
    expect(body.length).toBeGreaterThan(40_000);
    const response = await h.request(owner, 'POST', `/api/v1/orgs/${h.tenantA.organizationId}/projects`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'settings' }] } });
    const [{ n: after } = { n: '' }] = await h.test.db.query<{ n: string }>(`select count(*)::text as n from audit_logs`);
    expect(after).toBe(before);
  });

  it("answers in Better Auth's shape under /api/auth", async () => {
    const body = `{"email":"nobody@example.test","password":"not the password","extra":${deep(100)}}`;
    const response = await h.request(null, 'POST', '/api/auth/sign-in/email', body);
    expect(response.status).toBe(400);
    const refusal = (await response.json()) as { code: string; message: string };
    expect(refusal.code).toBe('VALIDATION_ERROR');
    expect(refusal.message).toContain('extra');
  });

  it('closes the connection after an early 413, so a pipelined request is not lost unannounced', async () => {
    const app = createApp({ db: h.test.db, auth: h.auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir, maxBodyBytes: 1024 });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      // The first request announces 100 KB and sends part of it; the second is pipelined behind it.
      const huge = 100_000;
      socket.write(
        `POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${huge}\r\n\r\n` +
          '{"name":"' + 'x'.repeat(4000),
      );
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3000))]);
      socket.destroy();
      const [head = ''] = received.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 413/);
      // Either the connection was announced as closing (the client resends), or the body was drained and /health answered.
      const announced = /\r\nconnection: close/i.test(head);
      const answered = received.includes('"status":"ok"');
      expect(announced || answered).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
