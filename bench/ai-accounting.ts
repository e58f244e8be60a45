/**
 * AI accounting on its write path: how much of a generate request the budget bookkeeping takes.
 *
 * Interleaved rounds in one process, on a fresh test database (PGlite, or PostgreSQL with
 * DATABASE_URL), against the local fake provider answering at once (the worst case for the
 * ratio: a real model takes seconds):
 *   (a) POST /orgs/{orgId}/ai/generate, the whole request;
 *   (b) the accounting it contains, alone: reading the budget, the reservation statement and
 *       the settle statement, each in the tenant transaction as the request runs them.
 * The ratio is median(b) / median(a). (b) opens two transactions of its own, which in the
 * request are shared with the generation's own writes, so it overstates the cost.
 *
 *   NODE_ENV=test npx tsx bench/ai-accounting.ts [--rounds 200] [--provider-ms 0]   (the harness makes and drops its own database)
 */
import { createApiHarness } from '../test/support/api.js';
import { startFakeAiProvider } from '../test/support/fake-ai-provider.js';
import { subscribe } from '../test/support/plan.js';
import { readBudget, reserveTokens, settleTokens } from '../src/features/ai-generate/budget.js';
import { withTenant } from '../src/db/tenant-context.js';

const option = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const rounds = option('--rounds', 200);
/** How long the fake provider waits before answering (0: at once, the worst case for the ratio). */
const providerMs = option('--provider-ms', 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const fake = await startFakeAiProvider();
fake.setDefault({ reply: 'A short PRD.', usage: { input: 21, output: 7 }, delayMs: providerMs });
const h = await createApiHarness({ outbound: { allowPrivate: true } });
try {
  await h.test.db.query(`insert into features (code, name) values ('ai_assistant', 'AI assistant') on conflict do nothing`);
  await h.test.db.query(`insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'ai_assistant'`);
  const orgId = h.tenantA.organizationId;
  await subscribe(h.test, orgId, 'pro');
  await h.request(h.tenantA.actors.owner, 'PATCH', `/api/v1/orgs/${orgId}`, { settings: { ai: { monthlyTokenBudget: 1_000_000_000 } } });
  const created = await h.request(h.tenantA.actors.admin, 'POST', `/api/v1/orgs/${orgId}/ai-providers`, { kind: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-bench', model: 'gpt-fake' });
  const providerId = ((await created.json()) as { id: string }).id;
  const body = { providerId, task: 'document', prompt: 'Draft a short PRD for password reset.', maxOutputTokens: 256 };
  const context = { organizationId: orgId, userId: h.tenantA.actors.member.userId };

  const request = async () => {
    const started = performance.now();
    const response = await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${orgId}/ai/generate`, body);
    if (response.status !== 200) throw new Error(`generate answered ${response.status}: ${await response.text()}`);
    return performance.now() - started;
  };
  const accounting = async () => {
    const started = performance.now();
    const month = await withTenant(h.test.db, context, async (tx) => {
      const budget = await readBudget(tx, orgId);
      await reserveTokens(tx, orgId, budget, 300);
      return budget.month;
    });
    await withTenant(h.test.db, context, (tx) => settleTokens(tx, orgId, month, 300, 28));
    return performance.now() - started;
  };

  for (let i = 0; i < 20; i++) await request(); // warm-up
  const whole: number[] = [];
  const part: number[] = [];
  for (let i = 0; i < rounds; i++) {
    whole.push(await request());
    part.push(await accounting());
  }
  const ratio = median(part) / median(whole);
  console.log(`engine: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; rounds: ${rounds}; provider answers after ${providerMs} ms`);
  console.log(`generate request, median ms: ${median(whole).toFixed(2)}`);
  console.log(`accounting alone (budget read, reservation, settle), median ms: ${median(part).toFixed(2)}`);
  console.log(`ratio (accounting / request): ${(ratio * 100).toFixed(1)}%`);
} finally {
  await h.destroy();
  await fake.close();
}
