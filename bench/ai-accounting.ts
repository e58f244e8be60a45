/**
 * What AI accounting adds to the write path it hangs off: the whole POST /orgs/{orgId}/ai/generate
 * with the budget bookkeeping (the budget read and the reservation in the generation's insert,
 * the settlement in its update) against the very same request with the bookkeeping replaced by
 * one that does nothing (UNACCOUNTED_LEDGER). It prints first what one request of each sends to
 * the database (statements and transactions), then the times.
 *
 * Two apps in one process share one fresh test database (PGlite, or PostgreSQL with
 * DATABASE_URL), the signed-in member and the local fake provider; they differ only in the
 * ledger (`AiCallSettings.ledger`, which only this bench sets). Rounds alternate which app goes
 * first. Everything else the request does is in both: the generation row written before the
 * call and settled after it, the price, the plan feature, the provider's key. Each provider
 * latency is its own phase. It prints the medians, their difference over the median without,
 * and the median of the paired ratios (each round's time with over its time without).
 *
 *   NODE_ENV=test npx tsx bench/ai-accounting.ts [--rounds 200] [--provider-ms 0,300]
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import pino from 'pino';
import { BUDGET_LEDGER, type TokenLedger, UNACCOUNTED_LEDGER } from '../src/features/ai-generate/budget.js';
import { DEFAULT_AI_CALL_SETTINGS } from '../src/features/ai-generate/call-settings.js';
import { createApp } from '../src/http/app.js';
import { createApiHarness } from '../test/support/api.js';
import { startFakeAiProvider } from '../test/support/fake-ai-provider.js';
import { subscribe } from '../test/support/plan.js';

const option = (name: string, fallback: string) => (process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? fallback) : fallback);
const rounds = Number(option('--rounds', '200'));
/** How long the fake provider waits before answering: 0 (at once, the worst case for the ratio) and a model's usual pace. */
const latencies = option('--provider-ms', '0,300').split(',').map(Number);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * What `work` sends to the database: statements, and how many of them open a transaction. On
 * PostgreSQL each `pg.Client#query` call is one statement and one round trip (as
 * test/support/round-trips.ts counts them); on PGlite each extended-protocol Parse message and
 * each simple Query (BEGIN, COMMIT) is one statement.
 */
async function countStatements(work: () => Promise<unknown>): Promise<{ statements: number; transactions: number }> {
  const texts: string[] = [];
  // Both prototypes are patched for the length of `work` only; the casts name the one method.
  const target = (process.env.DATABASE_URL ? pg.Client.prototype : PGlite.prototype) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const method = process.env.DATABASE_URL ? 'query' : 'execProtocolStream';
  const original = target[method]!;
  target[method] = function (this: unknown, ...args: unknown[]) {
    const [first] = args;
    if (first instanceof Uint8Array) {
      // PGlite: a protocol message; P (Parse) and Q (Query) carry a statement, the rest of a query's messages do not.
      if (first[0] === 0x50 || first[0] === 0x51) texts.push(new TextDecoder().decode(first.subarray(5)));
    } else texts.push(typeof first === 'string' ? first : String((first as { text?: string } | null)?.text ?? ''));
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    target[method] = original;
  }
  return { statements: texts.length, transactions: texts.filter((text) => /^\W*begin\b/i.test(text)).length };
}

const fake = await startFakeAiProvider();
const h = await createApiHarness({ outbound: { allowPrivate: true } });
try {
  await h.test.db.query(`insert into features (code, name) values ('ai_assistant', 'AI assistant') on conflict do nothing`);
  await h.test.db.query(`insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'ai_assistant'`);
  const orgId = h.tenantA.organizationId;
  await subscribe(h.test, orgId, 'pro');
  await h.request(h.tenantA.actors.owner, 'PATCH', `/api/v1/orgs/${orgId}`, { settings: { ai: { monthlyTokenBudget: 1_000_000_000 } } });
  const created = await h.request(h.tenantA.actors.admin, 'POST', `/api/v1/orgs/${orgId}/ai-providers`, { kind: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-bench', model: 'gpt-fake' });
  const providerId = ((await created.json()) as { id: string }).id;
  const body = JSON.stringify({ providerId, task: 'document', prompt: 'Draft a short PRD for password reset.', maxOutputTokens: 256 });

  // The harness's own app logs every line into memory; both apps here log nothing, alike.
  const appWith = (ledger: TokenLedger) =>
    createApp({ db: h.test.db, auth: h.auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir, liveEvents: h.liveEvents,
      outbound: { allowPrivate: true }, ai: { ...DEFAULT_AI_CALL_SETTINGS, ledger } });
  const apps = { accounted: appWith(BUDGET_LEDGER), unaccounted: appWith(UNACCOUNTED_LEDGER) };
  const generate = async (app: ReturnType<typeof createApp>) => {
    const started = performance.now();
    const response = await app.request(`/api/v1/orgs/${orgId}/ai/generate`, {
      method: 'POST', body, headers: { authorization: `Bearer ${h.tenantA.actors.member.token}`, 'content-type': 'application/json' },
    });
    if (response.status !== 200) throw new Error(`generate answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    return performance.now() - started;
  };

  console.log(`engine: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; rounds: ${rounds} per phase, interleaved`);
  for (const [name, app] of Object.entries(apps)) {
    await generate(app);
    const sent = await countStatements(() => generate(app));
    console.log(`${name}: ${sent.statements} statements in ${sent.transactions} transactions per generate`);
  }
  for (const providerMs of latencies) {
    fake.setDefault({ reply: 'A short PRD.', usage: { input: 21, output: 7 }, delayMs: providerMs });
    for (let i = 0; i < 10; i++) {
      await generate(apps.accounted);
      await generate(apps.unaccounted);
    }
    const accounted: number[] = [];
    const unaccounted: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        accounted.push(await generate(apps.accounted));
        unaccounted.push(await generate(apps.unaccounted));
      } else {
        unaccounted.push(await generate(apps.unaccounted));
        accounted.push(await generate(apps.accounted));
      }
    }
    const [withMs, withoutMs] = [median(accounted), median(unaccounted)];
    const paired = median(accounted.map((ms, i) => ms / unaccounted[i]!));
    console.log(
      `provider ${providerMs} ms: generate median ${withMs.toFixed(2)} ms with accounting, ${withoutMs.toFixed(2)} ms without; ` +
        `accounting adds ${(withMs - withoutMs).toFixed(2)} ms = ${(((withMs - withoutMs) / withoutMs) * 100).toFixed(1)}%; ` +
        `median paired ratio ${paired.toFixed(3)}`,
    );
  }
  const [usage] = await h.test.db.query<{ used_tokens: string; reserved_tokens: string }>(`select used_tokens::text, reserved_tokens::text from ai_token_usage where organization_id = $1`, [orgId]);
  console.log(`check: the accounted app's usage this month ${usage?.used_tokens ?? 0} tokens used, ${usage?.reserved_tokens ?? 0} still reserved`);
} finally {
  await h.destroy();
  await fake.close();
}
