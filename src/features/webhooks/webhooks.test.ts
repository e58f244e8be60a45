import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { subscribe as putOnPlan } from '../../../test/support/plan.js';
import { type JobWorker, startJobWorker } from '../../jobs/worker.js';
import { createOutboundFetch } from '../../net/outbound-guard.js';
import { columnsContaining } from '../ai-providers/database-scan.js';
import { DISABLE_AFTER_MS, webhookJobHandler } from './delivery.js';
import { dispatchWebhookEvents } from './dispatcher.js';

type Received = { headers: IncomingHttpHeaders; body: string };
type Subscription = { id: string; secret: string; status: string };
type Delivery = { id: string; status: string; attempts: number; responseStatus: number | null; lastError: string | null; body: string; redeliveryOfId: string | null };

describe('outgoing webhooks', () => {
  let h: ApiHarness;
  let receiver: Server;
  let receiverUrl = '';
  const received: Received[] = [];
  /** What the receiver answers next; 200 unless a test says otherwise. */
  let answer = 200;
  let clock = Date.now();
  let worker: JobWorker;
  let guardedWorker: JobWorker;
  let projectId = '';

  beforeAll(async () => {
    h = await createApiHarness();
    // Webhooks come with the plan's integrations: 'pro' includes them, 'free' does not.
    await h.test.db.query(`insert into features (code, name) values ('integrations', 'Integrations')`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'integrations'`,
    );
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://localhost:${(receiver.address() as AddressInfo).port}/hook`;
    const options = { db: h.test.db, masterKey: h.masterKey, baseUrl: 'http://tenantry.test', now: () => new Date(clock) };
    const logger = pino({ level: 'silent' });
    // A retry waits a minute; the test makes it due (makeDue) instead of waiting out the backoff.
    worker = startJobWorker(h.test.db, logger, [webhookJobHandler({ ...options, send: createOutboundFetch({ allowPrivate: true }) })], { start: false, retryDelayMs: () => 60_000 });
    guardedWorker = startJobWorker(h.test.db, logger, [webhookJobHandler({ ...options, send: createOutboundFetch({ allowPrivate: false }) })], { start: false, retryDelayMs: () => 60_000 });
    const { organizationId, actors } = h.tenantA;
    projectId = ((await (await h.request(actors.owner, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Hooks', key: 'HOOK' })).json()) as { id: string }).id;
  });
  afterAll(async () => {
    await Promise.all([worker.stop(), guardedWorker.stop()]);
    await new Promise((resolve) => receiver.close(resolve));
    await h.destroy();
  });
  beforeEach(async () => {
    received.length = 0;
    answer = 200;
    clock = Date.now();
    await putOnPlan(h.test, h.tenantA.organizationId, 'pro');
    await h.test.db.query(`delete from webhooks`);
    await h.test.db.query(`delete from jobs where kind = 'webhook.deliver'`);
  });

  const org = () => h.tenantA.organizationId;
  const path = (rest = '') => `/api/v1/orgs/${org()}/webhooks${rest}`;
  const subscribe = async (body: Record<string, unknown>) => {
    const response = await h.request(h.tenantA.actors.admin, 'POST', path(), body);
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as Subscription;
  };
  const createTask = async (title: string) => {
    const response = await h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/tasks`, { title });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const deliveries = async (id: string) =>
    ((await (await h.request(h.tenantA.actors.admin, 'GET', path(`/${id}/deliveries`))).json()) as { items: Delivery[] }).items;
  const makeDue = () => h.test.db.query(`update jobs set run_at = now() where kind = 'webhook.deliver' and status = 'queued'`);
  const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('signs each delivery with the secret shown once, queued in the transaction of the change', async () => {
    const hook = await subscribe({ url: receiverUrl, events: ['task.created', 'comment.created'] });
    expect(hook.secret).toMatch(/^whsec_/);
    await createTask('Ship the thing');
    // Queued, not sent: the request did not wait for the receiver.
    expect(received).toEqual([]);
    expect(await worker.runDue()).toBe(1);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.headers['x-tenantry-signature']).toBe(sign(hook.secret, delivery!.body));
    expect(delivery!.headers['x-tenantry-event']).toBe('task.created');
    expect(JSON.parse(delivery!.body)).toMatchObject({ event: 'task.created', organizationId: org(), data: { title: 'Ship the thing', projectId } });
    const [logged] = await deliveries(hook.id);
    expect(logged).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200, body: delivery!.body });

    // The secret is never answered again, and is stored sealed.
    const bodies = [await (await h.request(h.tenantA.actors.admin, 'GET', path())).text(), await (await h.request(h.tenantA.actors.admin, 'GET', path(`/${hook.id}`))).text()];
    for (const body of bodies) expect(body).not.toContain(hook.secret);
    expect(await columnsContaining(h.test.db, hook.secret)).toEqual([]);

    // An own secret is used as given; an unsubscribed event sends nothing.
    const own = await subscribe({ url: receiverUrl, events: ['task.updated'], secret: 'my-own-secret-of-some-length' });
    expect(own.secret).toBe('my-own-secret-of-some-length');
  });

  it('retries a failing receiver with backoff, and a redelivery sends the same body again', async () => {
    const hook = await subscribe({ url: receiverUrl, events: ['task.created'] });
    await createTask('Flaky');
    answer = 503;
    expect(await worker.runDue()).toBeGreaterThanOrEqual(1);
    const [failing] = await deliveries(hook.id);
    expect(failing).toMatchObject({ status: 'pending', responseStatus: 503, lastError: 'the receiver answered 503' });
    const [job] = await h.test.db.query<{ status: string; attempts: number; max_attempts: number }>(`select status, attempts, max_attempts from jobs where kind = 'webhook.deliver'`);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, max_attempts: 40 });
    answer = 200;
    expect(await worker.runDue()).toBe(0);
    await makeDue();
    await worker.runDue();
    const [succeeded] = await deliveries(hook.id);
    expect(succeeded).toMatchObject({ id: failing!.id, status: 'succeeded', attempts: 2, responseStatus: 200 });
    expect(received.map((r) => r.body)).toEqual([failing!.body, failing!.body]);

    const again = await h.request(h.tenantA.actors.admin, 'POST', path(`/${hook.id}/deliveries`), { redeliveryOfId: failing!.id });
    expect(again.status).toBe(201);
    const copy = (await again.json()) as Delivery;
    expect(copy).toMatchObject({ status: 'pending', redeliveryOfId: failing!.id, body: failing!.body });
    await worker.runDue();
    expect(received).toHaveLength(3);
    expect(received[2]!.headers['x-tenantry-delivery']).toBe(copy.id);
    expect(received[2]!.headers['x-tenantry-signature']).toBe(sign(hook.secret, failing!.body));
  });

  it('disables a URL that has failed for a day and mails the admins', async () => {
    const hook = await subscribe({ url: receiverUrl, events: ['task.created'] });
    await createTask('Never arrives');
    answer = 500;
    await worker.runDue();
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    clock += DISABLE_AFTER_MS - 60_000;
    await makeDue();
    await worker.runDue();
    expect(((await (await h.request(h.tenantA.actors.admin, 'GET', path(`/${hook.id}`))).json()) as Subscription).status).toBe('active');
    clock += 60_000;
    await makeDue();
    await worker.runDue();
    const disabled = (await (await h.request(h.tenantA.actors.admin, 'GET', path(`/${hook.id}`))).json()) as Subscription & { disabledReason: string };
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabledReason).toMatch(/failing for a day.*500/);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'failed', attempts: 3 });
    const [job] = await h.test.db.query<{ status: string }>(`select status from jobs where kind = 'webhook.deliver'`);
    expect(job!.status).toBe('failed');
    const mails = await h.test.db.query<{ to_address: string }>(`select * from mail_deliveries where organization_id = $1 and template = 'webhook-disabled'`, [org()]);
    expect(mails.length).toBeGreaterThanOrEqual(2);

    // Disabled: new changes queue nothing for it; turned back on, it starts a fresh day.
    await createTask('After the disable');
    expect(await deliveries(hook.id)).toHaveLength(1);
    const back = await h.request(h.tenantA.actors.admin, 'PATCH', path(`/${hook.id}`), { status: 'active' });
    expect(await back.json()).toMatchObject({ status: 'active', failingSince: null, disabledReason: null });
  });

  it('needs the plan with integrations to subscribe or turn back on; after a downgrade deliveries are logged, not sent', async () => {
    const onFree = await h.request(h.tenantB.actors.admin, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/webhooks`, { url: receiverUrl, events: ['task.created'] });
    expect(onFree.status).toBe(403);
    expect(await onFree.json()).toMatchObject({ error: { code: 'feature_not_in_plan', details: { feature: 'integrations', plan: 'free' } } });
    expect(await h.test.db.query('select id from webhooks where organization_id = $1', [h.tenantB.organizationId])).toEqual([]);

    const hook = await subscribe({ url: receiverUrl, events: ['task.created'] });
    await putOnPlan(h.test, org(), 'free');
    await createTask('Held back');
    await worker.runDue();
    expect(received).toEqual([]);
    const [held] = await deliveries(hook.id);
    expect(held).toMatchObject({ status: 'failed', attempts: 0, lastError: 'not sent: the free plan does not include integrations' });

    // Turning it off is allowed on any plan; back on needs the feature again.
    expect((await h.request(h.tenantA.actors.admin, 'PATCH', path(`/${hook.id}`), { status: 'disabled' })).status).toBe(200);
    const enable = await h.request(h.tenantA.actors.admin, 'PATCH', path(`/${hook.id}`), { status: 'active' });
    expect(enable.status).toBe(403);
    await putOnPlan(h.test, org(), 'pro');
    expect((await h.request(h.tenantA.actors.admin, 'PATCH', path(`/${hook.id}`), { status: 'active' })).status).toBe(200);
    const again = await h.request(h.tenantA.actors.admin, 'POST', path(`/${hook.id}/deliveries`), { redeliveryOfId: held!.id });
    expect(again.status).toBe(201);
    await worker.runDue();
    expect(received.map((r) => r.body)).toEqual([held!.body]);
  });

  it('refuses loopback receivers unless OUTBOUND_ALLOW_PRIVATE, and records why', async () => {
    const hook = await subscribe({ url: receiverUrl, events: ['task.created'] });
    await createTask('Guarded');
    await guardedWorker.runDue();
    expect(received).toEqual([]);
    const [refused] = await deliveries(hook.id);
    expect(refused!.lastError).toMatch(/localhost resolves to .*private or reserved address/);
  });

  it('rejects bad subscriptions naming the fields, writing nothing, and answers 403 below admin', async () => {
    const before = await h.test.db.query('select * from webhooks');
    const bad = await h.request(h.tenantA.actors.admin, 'POST', path(), { url: 'ftp://example.com', events: ['task.exploded', 'task.created'], secret: 'short' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['url', 'events.0', 'secret']));
    for (const actor of [h.tenantA.actors.member, h.tenantA.actors.viewer]) {
      expect((await h.request(actor, 'POST', path(), { url: receiverUrl, events: ['task.created'] })).status).toBe(403);
      expect((await h.request(actor, 'GET', path())).status).toBe(403);
    }
    expect(await h.test.db.query('select * from webhooks')).toEqual(before);
  });

  it('reads a page of a long delivery log in its order from the index, without sorting the log', async () => {
    const hook = await subscribe({ url: receiverUrl, events: ['task.created'] });
    await h.test.db.query(
      `insert into webhook_deliveries (organization_id, subscription_id, event, body, created_at)
       select $1, $2, 'task.created', '{}', now() - make_interval(secs => n) from generate_series(1, 5000) n`,
      [org(), hook.id],
    );
    await h.test.db.query('analyze webhook_deliveries');
    // The log's query (repository.listDeliveries): newest first, a page and one more.
    const plan = await h.test.db.query<{ 'QUERY PLAN': string }>(
      `explain select * from webhook_deliveries where organization_id = $1 and subscription_id = $2 order by created_at desc, id desc limit 51`,
      [org(), hook.id],
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('webhook_deliveries_org_subscription_created_at_idx');
    expect(text).not.toMatch(/Sort/);
    const page = await deliveries(hook.id);
    expect(page).toHaveLength(50);
  });

  it("answers 404 for another tenant's subscription and delivery, like missing ones", async () => {
    const hook = await subscribe({ url: receiverUrl, events: ['task.created'] });
    await createTask('Mine');
    await dispatchWebhookEvents(h.test.db);
    const [delivery] = await deliveries(hook.id);
    const outsider = h.tenantB.actors.owner;
    const other = `/api/v1/orgs/${h.tenantB.organizationId}/webhooks`;
    const attempts = [
      await h.request(outsider, 'GET', `${other}/${hook.id}`),
      await h.request(outsider, 'GET', `${other}/${hook.id}/deliveries`),
      await h.request(outsider, 'POST', `${other}/${hook.id}/deliveries`, { redeliveryOfId: delivery!.id }),
      await h.request(outsider, 'PATCH', `${other}/${hook.id}`, { url: 'https://attacker.example' }),
      await h.request(outsider, 'DELETE', `${other}/${hook.id}`),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(await deliveries(hook.id)).toHaveLength(1);
  });
});
