import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { engine } from '../../../test/support/database.js';
import { type FakeAiProvider, startFakeAiProvider } from '../../../test/support/fake-ai-provider.js';
import { subscribe } from '../../../test/support/plan.js';
import { countedRequest } from '../../../test/support/round-trips.js';
import { type App, createApp } from '../../http/app.js';
import { UNACCOUNTED_LEDGER } from './budget.js';
import { DEFAULT_AI_CALL_SETTINGS } from './call-settings.js';

/**
 * The budget's bookkeeping rides in the statements the generation sends anyway: the reservation
 * in the insert of the generation, the settlement in its update. A generate request with the
 * real ledger takes exactly the round trips of the same request with no bookkeeping at all.
 * Counted on PostgreSQL, where each statement is a round trip (PGlite sends no pg queries;
 * bench/ai-accounting.ts counts its statements).
 */
describe.skipIf(engine !== 'postgres')('AI accounting: no round trip of its own', () => {
  let h: ApiHarness;
  let fake: FakeAiProvider;
  let unaccounted: App;
  let body: Record<string, unknown>;
  const org = () => h.tenantA.organizationId;
  const usage = async () =>
    (await h.test.db.query<{ used: number; reserved: number }>('select used_tokens::int as used, reserved_tokens::int as reserved from ai_token_usage where organization_id = $1', [org()]))[0];

  beforeAll(async () => {
    fake = await startFakeAiProvider();
    fake.setDefault({ reply: 'A draft.', usage: { input: 20, output: 10 } });
    h = await createApiHarness({ sessionCacheMs: 60_000, outbound: { allowPrivate: true } });
    unaccounted = createApp({
      db: h.test.db, auth: h.auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir, sessionCacheMs: 60_000,
      liveEvents: h.liveEvents, outbound: { allowPrivate: true }, ai: { ...DEFAULT_AI_CALL_SETTINGS, ledger: UNACCOUNTED_LEDGER },
    });
    await h.test.db.query(`insert into features (code, name) values ('ai_assistant', 'AI assistant') on conflict do nothing`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'ai_assistant'`,
    );
    await subscribe(h.test, org(), 'pro');
    const provider = await h.request(h.tenantA.actors.admin, 'POST', `/api/v1/orgs/${org()}/ai-providers`, { kind: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-trips-0001', model: 'gpt-fake' });
    body = { providerId: ((await provider.json()) as { id: string }).id, task: 'document', prompt: 'Draft it', maxOutputTokens: 100 };
    await h.request(h.tenantA.actors.owner, 'PATCH', `/api/v1/orgs/${org()}`, { settings: { ai: { monthlyTokenBudget: 100_000 } } });
  });
  afterAll(async () => {
    await h.destroy();
    await fake.close();
  });

  it('sends as many statements with the budget ledger as with none, and the ledger still counts the tokens', async () => {
    const member = h.tenantA.actors.member;
    const warm = `/api/v1/orgs/${org()}/ai/budget`;
    const accounted = await countedRequest(h, member, warm, 'POST', `/api/v1/orgs/${org()}/ai/generate`, body);
    expect(accounted.status).toBe(200);
    expect(await usage()).toEqual({ used: 30, reserved: 0 });

    const withoutLedger = { ...h, request: async (actor: typeof member | null, method: string, path: string, sent?: unknown) =>
      unaccounted.request(path, { method, headers: { authorization: `Bearer ${actor?.token ?? ''}`, 'content-type': 'application/json' }, ...(sent === undefined ? {} : { body: JSON.stringify(sent) }) }) };
    const plain = await countedRequest(withoutLedger, member, warm, 'POST', `/api/v1/orgs/${org()}/ai/generate`, body);
    expect(plain.status).toBe(200);
    expect(await usage()).toEqual({ used: 30, reserved: 0 });

    expect(accounted.count).toBe(plain.count);
  });
});
