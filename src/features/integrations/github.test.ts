import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { taskReferences } from './github.js';

type Task = { id: string; ref: string; status: string };

describe('GitHub incoming webhook', () => {
  let h: ApiHarness;
  const secret = 'gh-webhook-secret-0123456789';
  let integrationId = '';
  let tasks: Task[] = [];
  beforeAll(async () => {
    h = await createApiHarness();
    // 'pro' includes integrations; tenant A is on it.
    await h.test.db.query(`insert into features (code, name) values ('integrations', 'Integrations') on conflict do nothing`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id)
       select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'integrations' on conflict do nothing`,
    );
    const { organizationId, actors } = h.tenantA;
    await h.test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    await h.test.db.query(`insert into subscriptions (organization_id, plan_id, status) select $1, id, 'active' from subscription_plans where code = 'pro'`, [organizationId]);
    const created = await h.request(actors.admin, 'POST', `/api/v1/orgs/${organizationId}/integrations`, {
      type: 'github', name: 'acme/app', credentials: { webhookSecret: secret },
    });
    expect(created.status).toBe(201);
    integrationId = ((await created.json()) as { id: string }).id;
    const project = (await (await h.request(actors.owner, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'App', key: 'APP' })).json()) as { id: string };
    tasks = [];
    for (const title of ['Login', 'Logout']) {
      tasks.push((await (await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects/${project.id}/tasks`, { title })).json()) as Task);
    }
  });
  afterAll(async () => {
    await h.destroy();
  });

  const deliver = async (event: string, payload: unknown, signWith = secret) => {
    const body = JSON.stringify(payload);
    return h.app.request(`/api/v1/integrations/${integrationId}/github/webhook`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-hub-signature-256': await sign(signWith, body) },
    });
  };
  const links = () => h.test.db.query<{ task_id: string; kind: string; url: string }>('select task_id, kind, url from task_links order by url');
  const integration = async () =>
    (await h.test.db.query<{ last_sync_at: Date | null; last_error: string | null; status: string }>('select * from integrations where id = $1', [integrationId]))[0]!;
  const status = async (id: string) => (await h.test.db.query<{ status: string }>('select status from tasks where id = $1', [id]))[0]!.status;

  it('reads references and closing words', () => {
    expect(taskReferences('APP-1: login\n\nFixes app-2, see APP-1 and UTF-8')).toEqual({ named: ['APP-1', 'APP-2', 'UTF-8'], fixed: ['APP-2'] });
  });

  it('refuses a bad or missing signature and writes nothing', async () => {
    const before = await integration();
    const forged = await deliver('push', { commits: [{ message: 'APP-1', url: 'https://github.com/acme/app/commit/1' }] }, 'not-the-secret');
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: { code: 'bad_request' } });
    const unsigned = await h.app.request(`/api/v1/integrations/${integrationId}/github/webhook`, { method: 'POST', body: '{}', headers: { 'x-github-event': 'push' } });
    expect(unsigned.status).toBe(400);
    expect(await links()).toEqual([]);
    expect(await integration()).toEqual(before);
    expect((await h.app.request(`/api/v1/integrations/${crypto.randomUUID()}/github/webhook`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('links pushed commits to the tasks they name, once, and keeps last_sync_at', async () => {
    const [login, logout] = tasks;
    const push = { commits: [{ message: `${login!.ref}: first cut\n\nalso ${logout!.ref.toLowerCase()}`, url: 'https://github.com/acme/app/commit/a1' }] };
    const response = await deliver('push', push);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ event: 'push', linked: 2, completed: 0 });
    expect((await deliver('push', push)).status).toBe(200);
    expect((await links()).map((l) => [l.task_id, l.kind])).toEqual(expect.arrayContaining([[login!.id, 'commit'], [logout!.id, 'commit']]));
    expect(await links()).toHaveLength(2);
    const synced = await integration();
    expect(synced).toMatchObject({ status: 'active', last_error: null });
    expect(synced.last_sync_at).not.toBeNull();
  });

  it('completes a task when a pull request that fixes it is merged, not before', async () => {
    const [login] = tasks;
    const pr = (action: string, merged: boolean) => ({
      action,
      pull_request: { title: 'Login page', body: `Fixes ${login!.ref}`, html_url: 'https://github.com/acme/app/pull/7', merged },
    });
    expect(await (await deliver('pull_request', pr('opened', false))).json()).toEqual({ event: 'pull_request', linked: 1, completed: 0 });
    expect(await status(login!.id)).not.toBe('done');
    expect(await (await deliver('pull_request', pr('closed', true))).json()).toEqual({ event: 'pull_request', linked: 0, completed: 1 });
    expect(await status(login!.id)).toBe('done');
  });

  it('lists a task\'s links by id or reference to its readers, in pages, and nothing to another tenant', async () => {
    const [login] = tasks;
    const { organizationId, actors } = h.tenantA;
    const linksOf = (actor = actors.viewer, idOrRef = login!.ref, query = '', orgId = organizationId) =>
      h.request(actor, 'GET', `/api/v1/orgs/${orgId}/tasks/${idOrRef}/links${query}`);
    await deliver('pull_request', { action: 'opened', pull_request: { title: 'Login, again', body: `Refs ${login!.ref}`, html_url: 'https://github.com/acme/app/pull/9', merged: false } });
    const stored = (await links()).filter((l) => l.task_id === login!.id).map((l) => l.url).sort();
    expect(stored.length).toBeGreaterThanOrEqual(2);
    const byRef = await linksOf();
    expect(byRef.status).toBe(200);
    const page = (await byRef.json()) as { items: { url: string; kind: string; taskId: string; integrationId: string; title: string }[]; nextCursor: string | null };
    expect(page.items.map((l) => l.url).sort()).toEqual(stored);
    expect(page.items[0]).toMatchObject({ taskId: login!.id, integrationId });
    expect(page.nextCursor).toBeNull();
    expect(await (await linksOf(actors.viewer, login!.id)).json()).toEqual(page);
    const first = (await (await linksOf(actors.viewer, login!.ref, '?limit=1')).json()) as typeof page;
    expect(first.items).toEqual(page.items.slice(0, 1));
    const rest = (await (await linksOf(actors.viewer, login!.ref, `?limit=100&cursor=${first.nextCursor}`)).json()) as typeof page;
    expect(rest.items).toEqual(page.items.slice(1));
    // Another tenant: the same reference is a 404 in its own organization, and A's path answers it the same.
    expect((await linksOf(h.tenantB.actors.owner, login!.id, '', h.tenantB.organizationId)).status).toBe(404);
    expect((await linksOf(h.tenantB.actors.owner)).status).toBe(404);
  });

  it('keeps the last error of an event that could not be applied', async () => {
    const response = await deliver('pull_request', { action: 'opened' });
    expect(response.status).toBe(400);
    expect((await integration()).last_error).toMatch(/^pull_request: /);
    expect((await integration()).status).toBe('error');
  });
});
