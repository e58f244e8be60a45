import type { LanguageModelUsage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { type FakeAiProvider, startFakeAiProvider } from '../../../test/support/fake-ai-provider.js';
import { subscribe } from '../../../test/support/plan.js';
import { createOutboundFetch } from '../../net/outbound-guard.js';
import type { ServiceCall } from '../shared/service-call.js';
import { BUDGET_LEDGER } from './budget.js';
import { type GenerateDeps, type Prepared, prepareGeneration, settleGeneration } from './service.js';
import { ABANDONED_ERROR, releaseStaleReservations } from './stale-reservations.js';

describe('stale AI reservations', () => {
  let h: ApiHarness;
  let fake: FakeAiProvider;
  let providerId = '';
  let deps: GenerateDeps;

  const org = () => h.tenantA.organizationId;
  const usage = async () =>
    (await h.test.db.query<{ used: number; reserved: number }>('select used_tokens::int as used, reserved_tokens::int as reserved from ai_token_usage where organization_id = $1', [org()]))[0];
  const generation = async (id: string) =>
    (await h.test.db.query<{ status: string; reserved_tokens: number; error: string | null; total_tokens: number }>(
      'select status, reserved_tokens, error, total_tokens from ai_generations where id = $1', [id]))[0];
  /** What a server that crashed mid-call leaves behind: a reservation nobody settles. */
  const reserve = async (): Promise<Prepared> => {
    const member = h.tenantA.actors.member;
    const call: ServiceCall = { db: h.test.db, scope: { organizationId: org(), userId: member.userId, role: 'member' }, requestId: 'test:crash' };
    return prepareGeneration(call, deps, { providerId, task: 'document', prompt: 'Draft it', maxOutputTokens: 1000 });
  };
  const generate = () => h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${org()}/ai/generate`, { providerId, task: 'document', prompt: 'Draft it', maxOutputTokens: 1000 });

  beforeAll(async () => {
    fake = await startFakeAiProvider();
    fake.setDefault({ reply: 'A draft.', usage: { input: 20, output: 10 } });
    h = await createApiHarness({ outbound: { allowPrivate: true }, ai: { timeoutMs: 4000, maxRetries: 0 } });
    deps = { masterKey: h.masterKey, fetch: createOutboundFetch({ allowPrivate: true }), settings: { timeoutMs: 4000, maxRetries: 0 }, ledger: BUDGET_LEDGER };
    await h.test.db.query(`insert into features (code, name) values ('ai_assistant', 'AI assistant') on conflict do nothing`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'ai_assistant'`,
    );
    await subscribe(h.test, org(), 'pro');
    const admin = h.tenantA.actors.admin;
    const provider = await h.request(admin, 'POST', `/api/v1/orgs/${org()}/ai-providers`, { kind: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-sweep-0001', model: 'gpt-fake' });
    providerId = ((await provider.json()) as { id: string }).id;
    // Room for two reservations of about 1 010 tokens, not three.
    await h.request(h.tenantA.actors.owner, 'PATCH', `/api/v1/orgs/${org()}`, { settings: { ai: { monthlyTokenBudget: 2500 } } });
  });
  afterAll(async () => {
    await h.destroy();
    await fake.close();
  });

  it('releases a reservation older than the timeout so the budget is free again, and leaves a fresh one', async () => {
    const crashed = await reserve();
    await h.test.db.query(`update ai_generations set created_at = now() - interval '1 hour' where id = $1`, [crashed.generationId]);
    const running = await reserve();
    expect(await usage()).toEqual({ used: 0, reserved: crashed.reserved + running.reserved });
    expect((await generate()).status).toBe(403);

    expect(await releaseStaleReservations(h.test.db, { olderThanMs: 15 * 60 * 1000 })).toBe(1);
    expect(await generation(crashed.generationId)).toMatchObject({ status: 'failed', reserved_tokens: 0, error: ABANDONED_ERROR });
    expect(await generation(running.generationId)).toMatchObject({ status: 'reserved', reserved_tokens: running.reserved });
    expect(await usage()).toEqual({ used: 0, reserved: running.reserved });
    // A second sweep finds nothing; the freed budget takes a call again.
    expect(await releaseStaleReservations(h.test.db, { olderThanMs: 15 * 60 * 1000 })).toBe(0);
    expect((await generate()).status).toBe(200);
    expect(await usage()).toEqual({ used: 30, reserved: running.reserved });

    // The "crashed" call was only slow: it records its usage but does not give its tokens back twice.
    const reported: LanguageModelUsage = {
      inputTokens: 20, outputTokens: 10, totalTokens: 30,
      inputTokenDetails: { noCacheTokens: 20, cacheReadTokens: undefined, cacheWriteTokens: undefined },
      outputTokenDetails: { textTokens: 10, reasoningTokens: undefined },
    };
    await settleGeneration(crashed, { status: 'succeeded', text: 'Late.', usage: reported, error: null, latencyMs: 1 });
    expect(await generation(crashed.generationId)).toMatchObject({ status: 'succeeded', total_tokens: 30 });
    expect(await usage()).toEqual({ used: 60, reserved: running.reserved });
  });
});
