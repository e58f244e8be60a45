import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { ACME_PEOPLE, GLOBEX_PEOPLE } from '../../src/seed/content/people.js';
import { engine } from '../support/database.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { type SseMessage, type SseReader, readSse } from '../support/sse.js';
import { type ThrowawayCluster, startThrowawayCluster, throwawayClusterUnavailable } from '../support/throwaway-cluster.js';
import { signIn } from './http.js';
import { demoOrganization, sleep } from './load.js';

/**
 * Live events across server processes: a change made through process A reaches a member's stream
 * on process B through PostgreSQL's LISTEN/NOTIFY, never another tenant's stream; a client that
 * resumes with Last-Event-ID gets what it missed; and B's LISTEN connection comes back after
 * PostgreSQL restarts. A throwaway cluster, since the test restarts it.
 */
const skipReason = engine === 'pglite' ? 'PGlite engine (no DATABASE_URL)' : throwawayClusterUnavailable();

describe.skipIf(skipReason !== null)(`live events across two server processes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let cluster: ThrowawayCluster | undefined;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let db: Database | undefined;
  const streams: SseReader[] = [];
  let acme = { organizationId: '', projectId: '' };
  let globex = { organizationId: '', projectId: '' };
  const tokens = { acmeOwner: '', acmeMember: '', globexOwner: '' };

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    const url = cluster.urlFor('tenantry');
    // One after the other: the first initialises the database, the second finds it current.
    a = await startServerProcess({ databaseUrl: url, readyTimeoutMs: 90_000 });
    b = await startServerProcess({ databaseUrl: url, readyTimeoutMs: 90_000 });
    db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 2 });
    acme = await demoOrganization(db, 'acme');
    globex = await demoOrganization(db, 'globex');
    tokens.acmeOwner = (await signIn(a.baseUrl, ACME_PEOPLE.owner.email, ACME_PEOPLE.owner.password)).token;
    tokens.acmeMember = (await signIn(b.baseUrl, ACME_PEOPLE.member.email, ACME_PEOPLE.member.password)).token;
    tokens.globexOwner = (await signIn(b.baseUrl, GLOBEX_PEOPLE.owner.email, GLOBEX_PEOPLE.owner.password)).token;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.close()));
    await db?.close().catch(() => undefined);
    await a?.destroy();
    await b?.destroy();
    await cluster?.destroy();
  });

  async function open(server: ServerProcess, token: string, organizationId: string, lastEventId?: string) {
    const response = await fetch(`${server.baseUrl}/api/v1/orgs/${organizationId}/events`, {
      headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    });
    expect(response.status).toBe(200);
    const stream = readSse(response);
    streams.push(stream);
    await stream.next((m) => m.comment === 'ready');
    return stream;
  }
  async function send(server: ServerProcess, method: string, path: string, body: unknown) {
    const response = await fetch(`${server.baseUrl}/api/v1/orgs/${acme.organizationId}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.acmeOwner}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { id: string } };
  }
  const createTask = (server: ServerProcess, title: string) => send(server, 'POST', `/projects/${acme.projectId}/tasks`, { title });
  const about = (kind: string, id: string) => (m: SseMessage) => m.event === kind && m.data?.includes(id) === true;

  it("carries a change through A to a member's stream on B, and nothing to the other tenant's", async () => {
    if (!a || !b) throw new Error('set-up did not finish');
    const member = await open(b, tokens.acmeMember, acme.organizationId);
    const outsider = await open(b, tokens.globexOwner, globex.organizationId);
    const created = await createTask(a, 'Across processes');
    expect(created.status).toBe(201);

    const event = await member.next(about('task.created', created.body.id));
    expect(JSON.parse(event.data ?? '')).toEqual({ kind: 'task.created', organizationId: acme.organizationId, projectId: acme.projectId, id: created.body.id });
    // Give a stray delivery every chance to arrive before looking.
    await sleep(1_000);
    expect(outsider.messages.filter((m) => m.event !== undefined)).toEqual([]);
  });

  it('replays what a client missed when it resumes on B with Last-Event-ID', async () => {
    if (!a || !b) throw new Error('set-up did not finish');
    const first = await open(b, tokens.acmeMember, acme.organizationId);
    const created = await createTask(a, 'Missed');
    const seen = await first.next(about('task.created', created.body.id));
    await first.close();

    expect((await send(a, 'PATCH', `/tasks/${created.body.id}`, { status: 'in_progress' })).status).toBe(200);
    const resumed = await open(b, tokens.acmeMember, acme.organizationId, seen.id);
    const replayed = resumed.messages.filter((m) => m.event !== undefined);
    expect(replayed.map((m) => m.event)).toEqual(['task.updated']);
    expect(replayed[0]?.data).toContain(created.body.id);
  });

  it("keeps delivering after PostgreSQL restarts: B's LISTEN connection comes back", async () => {
    if (!a || !b || !cluster) throw new Error('set-up did not finish');
    const member = await open(b, tokens.acmeMember, acme.organizationId);
    await cluster.stop('fast');
    await cluster.start();
    // A's pool reconnects on its next checkout; retry until it writes.
    let created = await createTask(a, 'After the restart').catch(() => null);
    for (let tries = 0; (created?.status ?? 0) !== 201 && tries < 50; tries += 1) {
      await sleep(200);
      created = await createTask(a, 'After the restart').catch(() => null);
    }
    expect(created?.status).toBe(201);
    await member.next(about('task.created', created?.body.id ?? ''), 20_000);
  }, 90_000);
});
