import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../../src/db/admin.js';
import { engine, serverUrl } from '../support/database.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { signIn } from './http.js';
import { DEMO_OWNERS, sleep, waitFor } from './load.js';

/**
 * Webhooks as `npm start` runs them: the process that takes a create is not the one that must
 * deliver it, and no process looks for events on every pass (a dispatcher looks at every
 * organization once per 30 s, and otherwise only at those whose NOTIFY it heard). A create through
 * either server reaches the receiver once, well within the 30 s fallback. On PostgreSQL two server
 * processes share a database; on PGlite one process, its NOTIFY heard in the same process.
 */
describe(`webhook deliveries across server processes (${engine})`, () => {
  let url: string | undefined;
  const servers: ServerProcess[] = [];
  let receiver: Server | undefined;
  const received: { title: string; at: number }[] = [];
  let token = '';
  let organizationId = '';
  let projectId = '';
  // Every process must accept the others' tokens and open the others' sealed secrets, as the
  // processes of one deployment do; the receiver is on loopback.
  const env = {
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    TENANTRY_MASTER_KEY: randomBytes(32).toString('base64'),
    WEB_CONCURRENCY: '1',
    OUTBOUND_ALLOW_PRIVATE: 'true',
  };

  beforeAll(async () => {
    if (engine === 'postgres') {
      const base = new URL(serverUrl ?? '');
      base.pathname = `/tenantry_test_${randomBytes(6).toString('hex')}`;
      url = base.toString();
    }
    // The first initialises the database; the second finds it current.
    servers.push(await startServerProcess({ databaseUrl: url, readyTimeoutMs: 120_000, env }));
    if (url) servers.push(await startServerProcess({ databaseUrl: url, readyTimeoutMs: 60_000, env }));
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const parsed = JSON.parse(body) as { event: string; data: { title: string } };
        if (parsed.event === 'task.created') received.push({ title: parsed.data.title, at: performance.now() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((listening) => receiver?.listen(0, '127.0.0.1', listening));
    const port = (receiver.address() as AddressInfo).port;
    const first = servers[0] as ServerProcess;
    token = (await signIn(first.baseUrl, DEMO_OWNERS.acme.email, DEMO_OWNERS.acme.password)).token;
    const organizations = (await call(first, 'GET', '/api/v1/organizations')).body as { items: { id: string; slug: string }[] };
    organizationId = organizations.items.find((organization) => organization.slug === 'acme')?.id ?? '';
    const projects = (await call(first, 'GET', `/api/v1/orgs/${organizationId}/projects`)).body as { items: { id: string }[] };
    projectId = projects.items[0]?.id ?? '';
    // The demo's own subscription (an address that never answers) would hold the worker: off.
    const existing = (await call(first, 'GET', `/api/v1/orgs/${organizationId}/webhooks`)).body as { items: { id: string }[] };
    for (const { id } of existing.items) expect((await call(first, 'PATCH', `/api/v1/orgs/${organizationId}/webhooks/${id}`, { status: 'disabled' })).status).toBe(200);
    const subscribed = await call(first, 'POST', `/api/v1/orgs/${organizationId}/webhooks`, { url: `http://127.0.0.1:${port}/hook`, events: ['task.created'] });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
  }, 200_000);

  afterAll(async () => {
    for (const server of servers) await server.destroy();
    await new Promise((closed) => receiver?.close(closed));
    if (url) await dropDatabase(url);
  });

  async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) };
  }

  it('delivers a task created through any process once, within seconds, not at the 30 s fallback', async () => {
    // Past every dispatcher's first look at every organization: from here only a NOTIFY wakes one.
    await sleep(2_000);
    const titles: string[] = [];
    for (const [index, server] of [...servers, ...servers].entries()) {
      const title = `Hooked ${index}`;
      titles.push(title);
      const created = await call(server, 'POST', `/api/v1/orgs/${organizationId}/projects/${projectId}/tasks`, { title });
      expect(created.status).toBe(201);
      const sent = performance.now();
      expect(await waitFor(() => received.some((hit) => hit.title === title), 10_000), `${title} not delivered within 10 s`).toBe(true);
      const hit = received.find((each) => each.title === title);
      expect((hit?.at ?? Number.POSITIVE_INFINITY) - sent).toBeLessThan(10_000);
    }
    // A second delivery of any would come within the worker's next passes.
    await sleep(2_000);
    expect(received.map((hit) => hit.title).sort()).toEqual(titles.sort());
  }, 120_000);
});
