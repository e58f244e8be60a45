import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { decryptSecret, unwrapDataKey } from '../../crypto/envelope.js';
import { columnsContaining } from '../ai-providers/database-scan.js';
import { credentialsContext } from './service.js';

type Integration = { id: string; hasCredentials: boolean; status: string; name: string; config: Record<string, unknown> };

describe('integrations API', () => {
  let h: ApiHarness;
  // Replaces the free subscription every organization is created with.
  const subscribe = async (organizationId: string, status: string) => {
    await h.test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    await h.test.db.query(
      `insert into subscriptions (organization_id, plan_id, status)
       select $1, id, $2 from subscription_plans where code = 'pro'`,
      [organizationId, status],
    );
  };
  beforeAll(async () => {
    h = await createApiHarness();
    // 'pro' includes integrations and 'free' does not; tenant A is on pro, tenant B on free.
    await h.test.db.query(`insert into features (code, name) values ('integrations', 'Integrations')`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id)
       select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'integrations'`,
    );
    await subscribe(h.tenantA.organizationId, 'active');
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/integrations${rest}`;
  const integrationRow = async (id: string) =>
    (await h.test.db.query<{ credentials_ciphertext: Uint8Array | null }>('select * from integrations where id = $1', [id]))[0];

  it("creates the organization's data key once, even when its first secrets are stored at the same time", async () => {
    const { organizationId, actors } = h.tenantA;
    const keyOf = async () =>
      (await h.test.db.query<{ wrapped_data_key: Uint8Array | null }>('select wrapped_data_key from organizations where id = $1', [organizationId]))[0]
        ?.wrapped_data_key ?? null;
    // Organizations made through the API get their data key at once; one made without it (an older
    // or imported organization) gets it on first use, which is the path under test here.
    await h.test.db.query('update organizations set wrapped_data_key = null where id = $1', [organizationId]);
    expect(await keyOf()).toBeNull();
    const names = ['Race 1', 'Race 2', 'Race 3', 'Race 4'];
    const responses = await Promise.all(
      names.map((name) => h.request(actors.admin, 'POST', path(organizationId), { type: 'slack', name, credentials: { botToken: `xoxb-${name}` } })),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const dataKey = unwrapDataKey(h.masterKey, Buffer.from((await keyOf())!));
    for (const response of responses) {
      const { id, name } = (await response.json()) as Integration;
      const sealed = Buffer.from((await integrationRow(id))!.credentials_ciphertext!);
      expect(JSON.parse(decryptSecret(dataKey, sealed, credentialsContext(organizationId, id)))).toEqual({ botToken: `xoxb-${name}` });
    }
  });

  it('seals the credentials, never returns them, and replaces or removes them on update', async () => {
    const { organizationId, actors } = h.tenantA;
    const token = 'ghp_FIRSTgithubTOKENvalue0123456789';
    const secondToken = 'ghp_SECONDgithubTOKENvalue987654321';
    const created = await h.request(actors.admin, 'POST', path(organizationId), {
      type: 'github', name: 'Main repos', config: { owner: 'acme', repos: ['web', 'api'] }, credentials: { token, webhookSecret: 'whsec-first-0000' },
    });
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    const integration = JSON.parse(createdText) as Integration & Record<string, unknown>;
    expect(integration).toMatchObject({ type: 'github', status: 'pending', hasCredentials: true, config: { owner: 'acme' } });
    expect(integration).not.toHaveProperty('credentials');

    const [org] = await h.test.db.query<{ wrapped_data_key: Uint8Array }>('select wrapped_data_key from organizations where id = $1', [organizationId]);
    const dataKey = unwrapDataKey(h.masterKey, Buffer.from(org!.wrapped_data_key));
    const sealed = Buffer.from((await integrationRow(integration.id))!.credentials_ciphertext!);
    expect(JSON.parse(decryptSecret(dataKey, sealed, credentialsContext(organizationId, integration.id)))).toEqual({ token, webhookSecret: 'whsec-first-0000' });

    const changed = await h.request(actors.admin, 'PATCH', path(organizationId, `/${integration.id}`), {
      credentials: { token: secondToken }, status: 'active',
    });
    const changedText = await changed.text();
    expect(changed.status, changedText).toBe(200);
    expect(JSON.parse(changedText)).toMatchObject({ status: 'active', hasCredentials: true });
    const resealed = Buffer.from((await integrationRow(integration.id))!.credentials_ciphertext!);
    expect(JSON.parse(decryptSecret(dataKey, resealed, credentialsContext(organizationId, integration.id)))).toEqual({ token: secondToken });

    const bodies = [
      createdText,
      changedText,
      await (await h.request(actors.viewer, 'GET', path(organizationId))).text(),
      await (await h.request(actors.viewer, 'GET', path(organizationId, `/${integration.id}`))).text(),
    ];
    for (const body of bodies) for (const secret of [token, secondToken, 'whsec-first-0000']) expect(body).not.toContain(secret);
    for (const secret of [token, secondToken, 'whsec-first-0000']) expect(await columnsContaining(h.test.db, secret)).toEqual([]);
    expect(await columnsContaining(h.test.db, 'Main repos')).toContain('integrations.name');

    const cleared = await h.request(actors.admin, 'PATCH', path(organizationId, `/${integration.id}`), { credentials: null, status: 'disabled' });
    expect(await cleared.json()).toMatchObject({ hasCredentials: false, status: 'disabled' });
    expect((await integrationRow(integration.id))?.credentials_ciphertext).toBeNull();

    const duplicate = await h.request(actors.admin, 'POST', path(organizationId), { type: 'github', name: 'Main repos' });
    expect(duplicate.status).toBe(409);
    expect((await h.request(actors.admin, 'DELETE', path(organizationId, `/${integration.id}`))).status).toBe(204);
    expect(await integrationRow(integration.id)).toBeUndefined();
  });

  it('requires the integrations feature from a live subscription', async () => {
    const { organizationId, actors } = h.tenantB;
    const body = { type: 'slack', name: 'Alerts', credentials: { botToken: 'xoxb-not-stored-000000' } };
    const onFree = await h.request(actors.admin, 'POST', path(organizationId), body);
    expect(onFree.status).toBe(403);
    expect(await onFree.json()).toMatchObject({ error: { code: 'feature_not_in_plan', details: { feature: 'integrations', plan: 'free' } } });
    await subscribe(organizationId, 'canceled');
    expect((await h.request(actors.admin, 'POST', path(organizationId), body)).status).toBe(403);
    expect(await h.test.db.query('select id from integrations where organization_id = $1', [organizationId])).toEqual([]);
    await subscribe(organizationId, 'trialing');
    expect((await h.request(actors.admin, 'POST', path(organizationId), body)).status).toBe(201);
  });

  it('answers 401 without a session and 403 below admin', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await h.request(null, 'GET', path(organizationId))).status).toBe(401);
    expect((await h.request(null, 'POST', path(organizationId), { type: 'jira', name: 'X' })).status).toBe(401);
    for (const actor of [actors.member, actors.viewer]) {
      const response = await h.request(actor, 'POST', path(organizationId), { type: 'jira', name: 'Board' });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await h.test.db.query('select * from integrations order by id');
    const response = await h.request(actors.admin, 'POST', path(organizationId), {
      type: 'myspace', name: ' ', credentials: 'not an object', surprise: 1,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['type', 'name', 'credentials']));
    const huge = await h.request(actors.admin, 'POST', path(organizationId), { type: 'jira', name: 'Big', credentials: { blob: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(400);
    expect(await h.test.db.query('select * from integrations order by id')).toEqual(before);
  });

  it("answers 404 for another tenant's integration, exactly like a missing one, and leaves it unchanged", async () => {
    const { organizationId, actors } = h.tenantA;
    const mine = (await (await h.request(actors.admin, 'POST', path(organizationId), { type: 'jira', name: 'Victim', credentials: { apiToken: 'jira-victim-token-123456' } })).json()) as Integration;
    const before = await integrationRow(mine.id);
    const outsider = h.tenantB.actors.owner;
    const attempts = [
      await h.request(outsider, 'GET', path(organizationId, `/${mine.id}`)),
      await h.request(outsider, 'GET', path(h.tenantB.organizationId, `/${mine.id}`)),
      await h.request(outsider, 'PATCH', path(h.tenantB.organizationId, `/${mine.id}`), { credentials: { apiToken: 'attacker' } }),
      await h.request(outsider, 'DELETE', path(h.tenantB.organizationId, `/${mine.id}`)),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    const missing = await h.request(outsider, 'GET', path(h.tenantB.organizationId, `/${crypto.randomUUID()}`));
    expect(await attempts[1]!.json()).toEqual(await missing.json());
    expect(await integrationRow(mine.id)).toEqual(before);
  });
});
