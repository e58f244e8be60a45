import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { startJobWorker } from '../../jobs/worker.js';
import type { BillingConfig } from './config.js';
import { seatsJobHandler } from './seats.js';

const SECRET_KEY = 'sk_test_tenantry';
const WEBHOOK_SECRET = 'whsec_tenantry_test';
const signer = new Stripe(SECRET_KEY);

type Sent = { method: string; path: string; form: URLSearchParams; authorization: string | undefined };
type StripeItem = Record<string, unknown> & { id: string; price: { id: string }; quantity: number };
type StripeSubscription = Record<string, unknown> & { items: { object: string; data: StripeItem[] } };

/**
 * A local stand-in for Stripe's API: it records what the SDK sent and answers with the
 * subscriptions the test put in it. It knows only the calls Tenantry makes.
 */
function fakeStripe() {
  const sent: Sent[] = [];
  const subscriptions = new Map<string, StripeSubscription>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stripe.test');
      const form = new URLSearchParams(body);
      sent.push({ method: request.method ?? '', path: url.pathname, form, authorization: request.headers.authorization });
      const answer = (status: number, json: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${sent.length}` });
        response.end(JSON.stringify(json));
      };
      if (request.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        return answer(200, { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.test/c/cs_test_1' });
      }
      if (request.method === 'POST' && url.pathname === '/v1/billing_portal/sessions') {
        return answer(200, { id: 'bps_test_1', object: 'billing_portal.session', url: 'https://billing.stripe.test/p/bps_test_1' });
      }
      const id = /^\/v1\/subscriptions\/(\w+)$/.exec(url.pathname)?.[1];
      const subscription = id ? subscriptions.get(id) : undefined;
      if (!subscription) return answer(404, { error: { type: 'invalid_request_error', message: 'No such subscription' } });
      if (request.method === 'POST') {
        const item = subscription.items.data[0];
        if (item) {
          item.price = { id: form.get('items[0][price]') ?? item.price.id };
          item.quantity = Number(form.get('items[0][quantity]') ?? item.quantity);
        }
      }
      return answer(200, subscription);
    });
  });
  return { sent, subscriptions, server };
}

function subscriptionOf(organizationId: string, changes: Partial<{ status: string; price: string; quantity: number; cancelAt: number | null; trialEnd: number | null }> = {}): StripeSubscription {
  return {
    id: 'sub_test_1',
    object: 'subscription',
    status: changes.status ?? 'active',
    customer: 'cus_test_1',
    metadata: { organizationId },
    trial_end: changes.trialEnd ?? null,
    cancel_at: changes.cancelAt ?? null,
    canceled_at: null,
    cancel_at_period_end: false,
    items: {
      object: 'list',
      data: [{ id: 'si_test_1', object: 'subscription_item', price: { id: changes.price ?? 'price_pro' }, quantity: changes.quantity ?? 4, current_period_start: 1_893_456_000, current_period_end: 1_896_134_400 }],
    },
  };
}

describe('billing with BILLING_MODE=stripe', () => {
  let h: ApiHarness;
  let billing: BillingConfig;
  const stripe = fakeStripe();
  let eventNumber = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => stripe.server.listen(0, '127.0.0.1', resolve));
    const { port } = stripe.server.address() as AddressInfo;
    billing = { mode: 'stripe', stripe: { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, returnBaseUrl: 'https://tenantry.test', api: { host: '127.0.0.1', port, protocol: 'http' } } };
    h = await createApiHarness({ billing });
    await h.test.db.query(`update subscription_plans set stripe_price_id = 'price_pro' where code = 'pro'`);
    await h.test.db.query(
      `insert into subscription_plans (code, name, price_cents, billing_period, stripe_price_id) values ('business', 'Business', 9900, 'monthly', 'price_business')`,
    );
  });
  afterAll(async () => {
    await h.destroy();
    await new Promise((resolve) => stripe.server.close(resolve));
  });

  const org = () => h.tenantA.organizationId;
  const deliver = async (type: string, object: unknown, options: { secret?: string; id?: string; tamper?: boolean } = {}) => {
    const payload = JSON.stringify({ id: options.id ?? `evt_test_${++eventNumber}`, object: 'event', type, created: 1_893_456_000 + eventNumber, livemode: false, data: { object } });
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
    return h.app.request('/api/v1/billing/stripe/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: options.tamper ? payload.replace('"active"', '"canceled"') : payload,
    });
  };
  const live = async () => {
    const [row] = await h.test.db.query<Record<string, unknown>>(
      `select p.code, s.status, s.provider, s.provider_subscription_id, s.provider_customer_id, s.provider_price_id, s.seats,
              s.current_period_start, s.current_period_end, s.trial_ends_at, s.cancel_at
         from subscriptions s join subscription_plans p on p.id = s.plan_id
        where s.organization_id = $1 and s.status <> 'canceled'`,
      [org()],
    );
    return row;
  };
  const events = () => h.test.db.query<{ id: string; processed: boolean }>(`select id, processed_at is not null as processed from billing_events order by created_at`);

  it('refuses webhooks whose signature does not verify, and writes nothing', async () => {
    const before = await live();
    const object = subscriptionOf(org(), { status: 'active' });
    const unsigned = await h.app.request('/api/v1/billing/stripe/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'evt_x', type: 'customer.subscription.updated', data: { object } }) });
    const responses = [unsigned, await deliver('customer.subscription.updated', object, { secret: 'whsec_someone_else' }), await deliver('customer.subscription.updated', object, { tamper: true })];
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(await events()).toEqual([]);
    expect(await live()).toEqual(before);
    expect(stripe.sent).toEqual([]);
  });

  it('sends owners to Checkout for a plan with a Stripe price, one seat per member', async () => {
    const { actors } = h.tenantA;
    expect((await h.request(actors.admin, 'POST', `/api/v1/orgs/${org()}/billing/checkout`, { plan: 'pro' })).status).toBe(403);
    expect((await h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/billing/checkout`, { plan: 'free' })).status).toBe(400);
    expect(stripe.sent).toEqual([]);
    // No direct changes in stripe mode: the money goes through Stripe.
    expect((await h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/subscription/change`, { plan: 'pro' })).status).toBe(409);

    const response = await h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/billing/checkout`, { plan: 'pro' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ url: 'https://checkout.stripe.test/c/cs_test_1' });
    const [call] = stripe.sent;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/v1/checkout/sessions');
    expect(call?.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(Object.fromEntries(call?.form ?? [])).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': 'price_pro',
      'line_items[0][quantity]': '4',
      client_reference_id: org(),
      'subscription_data[metadata][organizationId]': org(),
      success_url: `https://tenantry.test/${h.tenantA.slug}/settings?checkout=done`,
    });
  });

  it('records a completed Checkout from its webhook, once, with status, periods, price and seats', async () => {
    stripe.subscriptions.set('sub_test_1', subscriptionOf(org(), { trialEnd: 1_894_000_000 }));
    const session = { id: 'cs_test_1', object: 'checkout.session', client_reference_id: org(), subscription: 'sub_test_1', metadata: { organizationId: org() } };
    const first = await deliver('checkout.session.completed', session, { id: 'evt_checkout' });
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(await live()).toEqual({
      code: 'pro', status: 'active', provider: 'stripe', provider_subscription_id: 'sub_test_1', provider_customer_id: 'cus_test_1',
      provider_price_id: 'price_pro', seats: 4, current_period_start: new Date(1_893_456_000_000), current_period_end: new Date(1_896_134_400_000),
      trial_ends_at: new Date(1_894_000_000_000), cancel_at: null,
    });
    const reads = stripe.sent.filter((s) => s.method === 'GET').length;
    const again = await deliver('checkout.session.completed', session, { id: 'evt_checkout' });
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(stripe.sent.filter((s) => s.method === 'GET').length).toBe(reads);
    expect(await events()).toEqual([{ id: 'evt_checkout', processed: true }]);
    // The free subscription it replaced stays, canceled.
    const statuses = await h.test.db.query(`select p.code, s.status from subscriptions s join subscription_plans p on p.id = s.plan_id where organization_id = $1 order by s.created_at`, [org()]);
    expect(statuses).toEqual([{ code: 'free', status: 'canceled' }, { code: 'pro', status: 'active' }]);
  });

  it("ends on Stripe's latest state whatever order events arrive in, and blocks counted writes while past due", async () => {
    const { actors } = h.tenantA;
    const older = subscriptionOf(org());
    stripe.subscriptions.set('sub_test_1', subscriptionOf(org(), { status: 'past_due', cancelAt: 1_896_134_400 }));
    // The newer event first, then the older one, whose object still says active.
    await deliver('customer.subscription.updated', stripe.subscriptions.get('sub_test_1'));
    await deliver('customer.subscription.updated', older);
    expect(await live()).toMatchObject({ status: 'past_due', cancel_at: new Date(1_896_134_400_000) });
    const blocked = await h.request(actors.member, 'POST', `/api/v1/orgs/${org()}/projects`, { name: 'Unpaid', key: 'UNPAID' });
    expect(blocked.status).toBe(402);
    expect((await h.request(actors.viewer, 'GET', `/api/v1/orgs/${org()}/projects`)).status).toBe(200);

    stripe.subscriptions.set('sub_test_1', subscriptionOf(org()));
    await deliver('invoice.paid', { id: 'in_test_1', object: 'invoice', parent: { subscription_details: { subscription: 'sub_test_1' } } });
    expect(await live()).toMatchObject({ status: 'active', cancel_at: null });
    expect((await h.request(actors.member, 'POST', `/api/v1/orgs/${org()}/projects`, { name: 'Paid', key: 'PAID' })).status).toBe(201);
  });

  it('answers 503 and records nothing when Stripe cannot be read, so its retry does the work', async () => {
    const before = (await events()).length;
    const response = await deliver('customer.subscription.updated', { ...subscriptionOf(org()), id: 'sub_unknown' });
    expect(response.status).toBe(503);
    expect(await events()).toHaveLength(before);
  });

  it('upgrades an existing Stripe subscription in place, and opens the Customer Portal', async () => {
    const { actors } = h.tenantA;
    const response = await h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/billing/checkout`, { plan: 'business' });
    expect(await response.json()).toEqual({ url: null });
    const update = stripe.sent.filter((s) => s.method === 'POST' && s.path === '/v1/subscriptions/sub_test_1').at(-1);
    expect(Object.fromEntries(update?.form ?? [])).toMatchObject({ 'items[0][id]': 'si_test_1', 'items[0][price]': 'price_business', 'items[0][quantity]': '4', proration_behavior: 'create_prorations' });
    expect(await live()).toMatchObject({ code: 'business', provider_price_id: 'price_business' });

    const portal = await h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/billing/portal`);
    expect(await portal.json()).toEqual({ url: 'https://billing.stripe.test/p/bps_test_1' });
    const sent = stripe.sent.at(-1);
    expect(sent?.path).toBe('/v1/billing_portal/sessions');
    expect(Object.fromEntries(sent?.form ?? [])).toEqual({ customer: 'cus_test_1', return_url: `https://tenantry.test/${h.tenantA.slug}/settings` });
    expect((await h.request(actors.admin, 'POST', `/api/v1/orgs/${org()}/billing/portal`)).status).toBe(403);
  });

  it('settles a webhook arriving during a plan change, and two upgrades at once, on what Stripe holds', async () => {
    const { actors } = h.tenantA;
    const stale = subscriptionOf(org(), { price: 'price_pro' });
    const [change, hook] = await Promise.all([
      h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/billing/checkout`, { plan: 'pro' }),
      deliver('customer.subscription.updated', stale),
    ]);
    expect([change.status, hook.status]).toEqual([200, 200]);
    expect(await live()).toMatchObject({ code: 'pro', provider_price_id: 'price_pro' });

    const both = await Promise.all(['business', 'pro'].map((plan) => h.request(actors.owner, 'POST', `/api/v1/orgs/${org()}/billing/checkout`, { plan })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const held = stripe.subscriptions.get('sub_test_1')?.items.data[0]?.price.id;
    expect(await live()).toMatchObject({ provider_price_id: held });
    expect(await h.test.db.query(`select count(*)::int as n from subscriptions where organization_id = $1 and status <> 'canceled'`, [org()])).toEqual([{ n: 1 }]);
  });

  it('keeps seats equal to members: a member leaving or joining queues a job that sets the Stripe quantity after commit', async () => {
    const { actors } = h.tenantA;
    const worker = startJobWorker(h.test.db, pino({ level: 'silent' }), [seatsJobHandler(h.test.db, billing)], { start: false });
    await worker.runDue();
    const quantityUpdates = () =>
      stripe.sent.filter((s) => s.method === 'POST' && s.path === '/v1/subscriptions/sub_test_1' && s.form.has('items[0][quantity]') && !s.form.has('items[0][price]'));
    const before = quantityUpdates().length;

    expect((await h.request(actors.admin, 'DELETE', `/api/v1/orgs/${org()}/members/${actors.viewer.userId}`)).status).toBe(204);
    // The request did not talk to Stripe; the job does.
    expect(quantityUpdates()).toHaveLength(before);
    await worker.runDue();
    expect(Object.fromEntries(quantityUpdates().at(-1)?.form ?? [])).toMatchObject({ 'items[0][id]': 'si_test_1', 'items[0][quantity]': '3', proration_behavior: 'create_prorations' });
    expect(await live()).toMatchObject({ seats: 3 });

    const newcomer = await h.signUp('seat-newcomer');
    const invited = await h.request(actors.admin, 'POST', `/api/v1/orgs/${org()}/invitations`, { email: newcomer.email, role: 'member' });
    expect((await h.request(newcomer, 'POST', `/api/v1/invitations/${((await invited.json()) as { id: string }).id}/accept`)).status).toBe(200);
    await worker.runDue();
    expect(quantityUpdates().at(-1)?.form.get('items[0][quantity]')).toBe('4');
    expect(await live()).toMatchObject({ seats: 4 });

    // A job that finds Stripe already right changes nothing there.
    const updates = quantityUpdates().length;
    await h.test.db.query(`insert into jobs (id, kind, payload) values (gen_random_uuid(), 'billing.sync-seats', $1)`, [JSON.stringify({ organizationId: org() })]);
    await worker.runDue();
    expect(quantityUpdates()).toHaveLength(updates);
    await worker.stop();
  });
});
