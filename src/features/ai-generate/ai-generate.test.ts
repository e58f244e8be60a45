import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { type FakeAiProvider, startFakeAiProvider } from '../../../test/support/fake-ai-provider.js';
import { subscribe } from '../../../test/support/plan.js';

type Record_ = {
  id: string; status: string; task: string; inputTokens: number; outputTokens: number; cost: string; priceVersion: number | null;
  response: string; error: string | null; reservedTokens: number; metadata: Record<string, unknown>; projectId: string | null;
};
type ErrorBody = { error: { code: string; message: string; details?: { generation?: Record_ } } };

const KEY_A = 'sk-tenant-A-secret-0001';
const KEY_B = 'sk-tenant-B-secret-0002';

describe('AI generation against a local provider', () => {
  let h: ApiHarness;
  let fake: FakeAiProvider;
  let providers: { openaiA: string; anthropicA: string; compatibleA: string; openaiB: string };
  let projectId: string;

  const org = () => h.tenantA.organizationId;
  const generatePath = (orgId: string) => `/api/v1/orgs/${orgId}/ai/generate`;
  const generate = (body: Record<string, unknown>, actor: Actor = h.tenantA.actors.member, orgId = org()) => h.request(actor, 'POST', generatePath(orgId), body);
  const usage = async (orgId = org()) =>
    (await h.test.db.query<{ used: string; reserved: string }>('select used_tokens::text as used, reserved_tokens::text as reserved from ai_token_usage where organization_id = $1', [orgId]))[0] ?? { used: '0', reserved: '0' };
  const addProvider = async (actor: Actor, orgId: string, body: Record<string, unknown>) => {
    const response = await h.request(actor, 'POST', `/api/v1/orgs/${orgId}/ai-providers`, body);
    const created = (await response.json()) as { id: string; kind: string };
    expect(response.status, JSON.stringify(created)).toBe(201);
    return created;
  };

  beforeAll(async () => {
    fake = await startFakeAiProvider();
    h = await createApiHarness({ outbound: { allowPrivate: true }, ai: { timeoutMs: 4000, maxRetries: 1 } });
    await h.test.db.query(`insert into features (code, name) values ('ai_assistant', 'AI assistant') on conflict do nothing`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'ai_assistant'`,
    );
    await subscribe(h.test, h.tenantA.organizationId, 'pro');
    await subscribe(h.test, h.tenantB.organizationId, 'pro');
    const admin = h.tenantA.actors.admin;
    const openaiA = await addProvider(admin, org(), { kind: 'openai', baseUrl: fake.baseUrl, apiKey: KEY_A, model: 'gpt-fake' });
    expect(openaiA).toMatchObject({ kind: 'openai', model: 'gpt-fake', name: 'openai gpt-fake' });
    const anthropicA = await addProvider(admin, org(), { kind: 'anthropic', baseUrl: fake.baseUrl, apiKey: KEY_A, model: 'claude-fake' });
    const compatibleA = await addProvider(admin, org(), { kind: 'openai-compatible', baseUrl: fake.baseUrl, apiKey: 'local', model: 'llama-fake' });
    const openaiB = await addProvider(h.tenantB.actors.admin, h.tenantB.organizationId, { kind: 'openai', baseUrl: fake.baseUrl, apiKey: KEY_B, model: 'gpt-fake' });
    providers = { openaiA: openaiA.id, anthropicA: anthropicA.id, compatibleA: compatibleA.id, openaiB: openaiB.id };
    const project = await h.request(h.tenantA.actors.admin, 'POST', `/api/v1/orgs/${org()}/projects`, { name: 'Apollo', key: 'APO' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
    await fake.close();
  });
  beforeEach(async () => {
    fake.seen.length = 0;
    fake.setDefault({ reply: 'Hello from the fake model.', usage: { input: 21, output: 7 } });
    await h.test.db.query('delete from ai_token_usage');
    await h.test.db.query(`update organizations set settings = settings - 'ai'`);
    await h.test.db.query(`update subscription_plans set max_ai_tokens_per_month = null`);
  });

  it('calls OpenAI Chat Completions with the tenant key and records the usage the provider reported, priced by version', async () => {
    const unpriced = await generate({ providerId: providers.openaiA, task: 'document', prompt: 'Draft a PRD for login' });
    const first = (await unpriced.json()) as Record_;
    expect(unpriced.status, JSON.stringify(first)).toBe(200);
    expect(first).toMatchObject({ status: 'succeeded', task: 'document', inputTokens: 21, outputTokens: 7, cost: '0', priceVersion: null, response: 'Hello from the fake model.', reservedTokens: 0 });
    expect(fake.seen).toMatchObject([{ path: '/v1/chat/completions', key: KEY_A, body: { model: 'gpt-fake', max_tokens: 1024, stream: true } }]);

    const admin = h.tenantA.actors.admin;
    const prices = `/api/v1/orgs/${org()}/ai/prices`;
    expect((await h.request(admin, 'POST', prices, { kind: 'openai', model: 'gpt-fake', inputPerMillion: '1000', outputPerMillion: 2000 })).status).toBe(201);
    const v2 = await h.request(admin, 'POST', prices, { kind: 'openai', model: 'gpt-fake', inputPerMillion: '2000', outputPerMillion: '4000' });
    expect(await v2.json()).toMatchObject({ version: 2, inputPerMillion: '2000.000000' });
    const priced = (await (await generate({ providerId: providers.openaiA, task: 'document', prompt: 'Again' })).json()) as Record_;
    // (21 × 2000 + 7 × 4000) / 1e6 = 0.07, from version 2.
    expect(priced).toMatchObject({ cost: '0.07', priceVersion: 2 });
    const history = (await (await h.request(h.tenantA.actors.viewer, 'GET', `${prices}?history=true`)).json()) as { items: { version: number }[] };
    expect(history.items.map((p) => p.version)).toEqual([1, 2]);
    expect((await h.request(h.tenantA.actors.member, 'POST', prices, { kind: 'openai', model: 'x', inputPerMillion: 1, outputPerMillion: 1 })).status).toBe(403);
    expect(await usage()).toEqual({ used: String(2 * 28), reserved: '0' });
    // The trail holds each generation's reservation and settlement; the monthly counter derived
    // from them adds no rows of its own (migration 0035).
    const trail = await h.test.db.query<{ resource_type: string; action: string }>(
      `select resource_type, action from audit_logs where organization_id = $1 and resource_type in ('ai_generations', 'ai_token_usage') and resource_id = $2 or resource_type = 'ai_token_usage' order by created_at`,
      [org(), priced.id],
    );
    expect(trail).toEqual([{ resource_type: 'ai_generations', action: 'insert' }, { resource_type: 'ai_generations', action: 'update' }]);
  });

  it('streams Anthropic Messages as delta events, then done with the record', async () => {
    fake.setDefault({ reply: 'Sprint went well; two stories slipped.', chunk: 5, usage: { input: 40, output: 12 } });
    const response = await h.app.request(generatePath(org()), {
      method: 'POST',
      headers: { authorization: `Bearer ${h.tenantA.actors.member.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ providerId: providers.anthropicA, task: 'document', prompt: 'Summarise' }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await response.text());
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (JSON.parse(e.data) as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Sprint went well; two stories slipped.');
    expect(events.at(-1)?.event).toBe('done');
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 'succeeded', inputTokens: 40, outputTokens: 12, provider: 'anthropic' });
    expect(fake.seen).toMatchObject([{ path: '/v1/messages', key: KEY_A, body: { model: 'claude-fake', stream: true } }]);
  });

  it('calls an OpenAI-compatible base URL through Chat Completions', async () => {
    const record = (await (await generate({ providerId: providers.compatibleA, task: 'document', prompt: 'Hi' })).json()) as Record_;
    expect(record).toMatchObject({ status: 'succeeded', provider: 'openai-compatible', inputTokens: 21, outputTokens: 7 });
    expect(fake.seen).toMatchObject([{ path: '/v1/chat/completions', key: 'local', body: { model: 'llama-fake', stream_options: { include_usage: true } } }]);
  });

  it("never uses one organization's key for another's request", async () => {
    await generate({ providerId: providers.openaiA, task: 'document', prompt: 'A' });
    await generate({ providerId: providers.openaiB, task: 'document', prompt: 'B' }, h.tenantB.actors.member, h.tenantB.organizationId);
    expect(fake.seen.map((s) => s.key)).toEqual([KEY_A, KEY_B]);
    // B naming A's provider, in either organization's path: 404, and nothing reaches the provider.
    const stolen = await generate({ providerId: providers.openaiA, task: 'document', prompt: 'steal' }, h.tenantB.actors.owner, h.tenantB.organizationId);
    expect(stolen.status).toBe(404);
    expect((await generate({ providerId: providers.openaiA, task: 'document', prompt: 'steal' }, h.tenantB.actors.owner)).status).toBe(404);
    expect(fake.seen).toHaveLength(2);
    expect(h.logLines.join('\n')).not.toContain(KEY_A);
    expect(h.logLines.join('\n')).not.toContain(KEY_B);
  });

  it('states provider errors in words, with the key cut out, and releases the reservation', async () => {
    fake.script({ status: 401, errorMessage: `Incorrect API key provided: ${KEY_A}` });
    const response = await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x' });
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(502);
    expect(body.error.code).toBe('provider_error');
    expect(body.error.message).toBe('the provider answered 401: Incorrect API key provided: [redacted]');
    expect(JSON.stringify(body)).not.toContain(KEY_A);
    expect(body.error.details?.generation).toMatchObject({ status: 'failed', inputTokens: 0, outputTokens: 0, reservedTokens: 0 });
    expect(await usage()).toEqual({ used: '0', reserved: '0' });
    expect(fake.seen).toHaveLength(1);
  });

  it('retries a 500 once and succeeds', async () => {
    fake.script({ status: 500, errorMessage: 'overloaded' });
    const response = await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x' });
    expect(response.status).toBe(200);
    expect(fake.seen).toHaveLength(2);
  }, 15_000);

  it('fails a slow provider at the timeout, and a dropped connection in words', async () => {
    fake.script({ delayMs: 5000 });
    const slow = (await (await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x' })).json()) as ErrorBody;
    expect(slow.error).toMatchObject({ code: 'provider_error', message: 'the provider did not finish within 4000 ms' });
    fake.script({ reply: 'a long answer that never ends', chunk: 4, dropAfterChunks: 2 });
    const dropped = (await (await generate({ providerId: providers.anthropicA, task: 'document', prompt: 'x' })).json()) as ErrorBody;
    expect(dropped.error.message).toMatch(/dropped before the answer was complete/);
    // A stream that broke off is not retried: the answer was under way.
    expect(fake.seen.map((s) => s.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
    expect(await usage()).toMatchObject({ reserved: '0' });
  }, 15_000);

  it('answers 403 limit_exceeded before any call when the reservation does not fit; the smaller budget holds', async () => {
    const owner = h.tenantA.actors.owner;
    const patch = await h.request(owner, 'PATCH', `/api/v1/orgs/${org()}`, { settings: { ai: { monthlyTokenBudget: 1200 } } });
    expect(patch.status).toBe(200);
    const before = await h.test.db.query('select count(*)::int as n from ai_generations');
    const refused = await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x', maxOutputTokens: 1200 });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('limit_exceeded');
    expect(fake.seen).toHaveLength(0);
    expect(await h.test.db.query('select count(*)::int as n from ai_generations')).toEqual(before);
    expect((await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x', maxOutputTokens: 1000 })).status).toBe(200);
    // The plan's smaller budget wins over the organization's larger one.
    await h.test.db.query(`update subscription_plans set max_ai_tokens_per_month = 500 where code = 'pro'`);
    expect((await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x', maxOutputTokens: 600 })).status).toBe(403);
    const budget = (await (await h.request(h.tenantA.actors.viewer, 'GET', `/api/v1/orgs/${org()}/ai/budget`)).json()) as Record<string, number>;
    expect(budget).toMatchObject({ budget: 500, organizationBudget: 1200, planBudget: 500, used: 28, reserved: 0 });
  });

  it('never overshoots the budget with concurrent calls', async () => {
    // The provider holds every answer until each of the ten calls has either reached it or been
    // refused: a settled call frees what it reserved beyond its usage, so letting one finish
    // early (a slow machine) would rightly let a fifth through.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    fake.setDefault({ reply: 'ok', usage: { input: 10, output: 5 }, until: held });
    // Each call reserves its prompt estimate plus 100; four fit in 500, whatever the order.
    const single = 100 + estimateFor('race');
    await h.request(h.tenantA.actors.owner, 'PATCH', `/api/v1/orgs/${org()}`, { settings: { ai: { monthlyTokenBudget: single * 4 + single - 1 } } });
    let refused = 0;
    const decided = setInterval(() => {
      if (refused + fake.seen.length >= 10) release();
    }, 5);
    try {
      const calls = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const response = await generate({ providerId: providers.openaiA, task: 'document', prompt: 'race', maxOutputTokens: 100 });
          if (response.status !== 200) refused++;
          return response;
        }),
      );
      const statuses = calls.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
      expect(statuses.filter((s) => s === 403)).toHaveLength(6);
    } finally {
      clearInterval(decided);
      release();
    }
    expect(fake.seen).toHaveLength(4);
    expect(await usage()).toEqual({ used: String(4 * 15), reserved: '0' });
  }, 20_000);

  it('turns stories into proposals, and into tasks only once they are accepted', async () => {
    const doc = await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/documents`, { title: 'Login PRD', content: 'Users sign in with email.' });
    const documentId = ((await doc.json()) as { id: string }).id;
    const stories = { stories: [
      { title: 'As a user I sign in', description: 'Email and password', acceptanceCriteria: ['Given a valid password, I am signed in'] },
      { title: 'As a user I reset my password', acceptanceCriteria: [] },
    ] };
    fake.script({ reply: `Here you go:\n\`\`\`json\n${JSON.stringify(stories)}\n\`\`\`` });
    const record = (await (await generate({ providerId: providers.openaiA, task: 'stories', prompt: 'Write stories', documentId })).json()) as Record_;
    expect(record).toMatchObject({ task: 'stories', projectId, metadata: { documentId, proposals: [{ title: 'As a user I sign in' }, { title: 'As a user I reset my password' }] } });
    expect(JSON.stringify(fake.seen[0]?.body)).toContain('Users sign in with email.');
    const tasksBefore = await h.test.db.query('select id from tasks where project_id = $1', [projectId]);
    expect(tasksBefore).toEqual([]);

    const accept = `/api/v1/orgs/${org()}/ai-generations/${record.id}/accept`;
    const accepted = await h.request(h.tenantA.actors.member, 'POST', accept, { stories: [0] });
    const body = (await accepted.json()) as { tasks: { title: string; type: string; acceptanceCriteria: string }[]; generation: Record_ };
    expect(accepted.status, JSON.stringify(body)).toBe(201);
    expect(body.tasks).toMatchObject([{ title: 'As a user I sign in', type: 'story', acceptanceCriteria: '- Given a valid password, I am signed in' }]);
    expect((await h.request(h.tenantA.actors.member, 'POST', accept, {})).status).toBe(409);
    expect((await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/ai-generations/${record.id}/accept`, {})).status).toBe(404);
    expect(await h.test.db.query('select title from tasks where project_id = $1', [projectId])).toEqual([{ title: 'As a user I sign in' }]);
  });

  it("keeps the project's conversation in project_prompts and sends it back on the next turn", async () => {
    fake.script({ reply: 'Ship on Friday.' }, { reply: 'Because QA ends Thursday.' });
    const first = (await (await generate({ providerId: providers.openaiA, task: 'chat', prompt: 'When do we ship?', projectId })).json()) as Record_;
    const conversationId = first.metadata.conversationId as string;
    expect(conversationId).toBeTruthy();
    await generate({ providerId: providers.openaiA, task: 'chat', prompt: 'Why?', projectId, conversationId });
    const messages = fake.seen[1]?.body.messages as { role: string; content: string }[];
    expect(messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'When do we ship?'], ['assistant', 'Ship on Friday.'], ['user', 'Why?'],
    ]);
    const stored = await h.test.db.query('select role, content from project_prompts where conversation_id = $1 order by id', [conversationId]);
    expect(stored).toEqual([
      { role: 'user', content: 'When do we ship?' }, { role: 'assistant', content: 'Ship on Friday.' },
      { role: 'user', content: 'Why?' }, { role: 'assistant', content: 'Because QA ends Thursday.' },
    ]);
    expect((await generate({ providerId: providers.openaiA, task: 'chat', prompt: 'x' })).status).toBe(400);
  });

  it("summarises a sprint from its tasks", async () => {
    const sprint = await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/sprints`, { name: 'Sprint 9' });
    const sprintId = ((await sprint.json()) as { id: string }).id;
    await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/tasks`, { title: 'Wire the login form', sprintId, storyPoints: 3 });
    const record = (await (await generate({ providerId: providers.openaiA, task: 'sprint-summary', prompt: 'Summarise', sprintId })).json()) as Record_;
    expect(record).toMatchObject({ status: 'succeeded', task: 'sprint-summary', projectId, metadata: { sprintId } });
    expect(JSON.stringify(fake.seen[0]?.body)).toContain('Wire the login form (task, 3 points)');
  });

  it('aborts the provider call when the client closes the stream, and still records the usage', async () => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      fake.script({ reply: 'word '.repeat(400), chunk: 5, chunkDelayMs: 50, usage: { input: 30, output: 400 } });
      const client = new AbortController();
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${generatePath(org())}`, {
        method: 'POST', signal: client.signal,
        headers: { authorization: `Bearer ${h.tenantA.actors.member.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ providerId: providers.openaiA, task: 'document', prompt: 'cancel me' }),
      });
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value ?? new Uint8Array()).toString('utf8')).toContain('event: delta');
      client.abort();
      await expect.poll(async () => (await h.test.db.query<{ status: string }>(`select status from ai_generations where prompt = 'cancel me'`))[0]?.status, { timeout: 1000 }).toBe('canceled'); // well before the 2 s the full answer takes
      const [row] = await h.test.db.query<{ prompt_tokens: number; completion_tokens: number; metadata: Record<string, unknown> }>(
        `select prompt_tokens, completion_tokens, metadata from ai_generations where prompt = 'cancel me'`);
      expect(row!.prompt_tokens).toBeGreaterThan(0);
      expect(row!.completion_tokens).toBeGreaterThan(0);
      expect(row!.completion_tokens).toBeLessThan(400);
      expect(row!.metadata).toMatchObject({ usageEstimated: true });
      await expect.poll(() => fake.seen[0]?.closedEarly, { timeout: 5000 }).toBe(true);
      expect(await usage()).toEqual({ used: String(row!.prompt_tokens + row!.completion_tokens), reserved: '0' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects bad input naming the fields, and a viewer, and writes nothing', async () => {
    const before = await h.test.db.query('select count(*)::int as n from ai_generations');
    const bad = await generate({ providerId: 'nope', task: 'poem', prompt: '', maxOutputTokens: 0, extra: 1 });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['providerId', 'task', 'prompt', 'maxOutputTokens']));
    expect((await generate({ providerId: providers.openaiA, task: 'document', prompt: 'x' }, h.tenantA.actors.viewer)).status).toBe(403);
    expect(await h.test.db.query('select count(*)::int as n from ai_generations')).toEqual(before);
    expect(fake.seen).toHaveLength(0);
  });
});

/** The reservation's prompt estimate for a document task with this prompt (see prompts.ts). */
function estimateFor(prompt: string): number {
  const system = 'You draft product documents (PRDs, specifications) in Markdown: a title, then clear sections. Answer with the document only.';
  return Math.ceil(Buffer.byteLength(system) / 3) + 4 + Math.ceil(Buffer.byteLength(prompt) / 3) + 4;
}

function parseSse(text: string): { event: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      return {
        event: lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message',
        data: lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n'),
      };
    });
}
