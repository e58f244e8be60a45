import { subscribe } from '../../../test/support/plan.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { decryptSecret, unwrapDataKey } from '../../crypto/envelope.js';
import { columnsContaining } from './database-scan.js';
import { apiKeyContext } from './service.js';

type Provider = { id: string; apiKeyHint: string | null; hasApiKey: boolean; isDefault: boolean; name: string };

describe('AI providers API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
    // Tenant A subscribes to 'pro', which includes the AI assistant; tenant B stays on 'free', which does not.
    await h.test.db.query(`insert into features (code, name) values ('ai_assistant', 'AI assistant')`);
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id)
       select p.id, f.id from subscription_plans p, features f where p.code = 'pro' and f.code = 'ai_assistant'`,
    );
    await subscribe(h.test, h.tenantA.organizationId, 'pro');
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/ai-providers${rest}`;
  const providerRow = async (id: string) =>
    (await h.test.db.query<{ api_key_ciphertext: Uint8Array | null }>('select * from ai_providers where id = $1', [id]))[0];

  it('seals the API key, shows only its hint, and replaces it on update', async () => {
    const { organizationId, actors } = h.tenantA;
    const firstKey = 'sk-live-FIRSTsecretKEY-0001-abcd';
    const secondKey = 'sk-live-SECONDsecretKEY-0002-wxyz';
    // Organizations made through the API get their data key at once; one made without it (an older
    // or imported organization) gets it on first use, which is the path under test here.
    await h.test.db.query('update organizations set wrapped_data_key = null where id = $1', [organizationId]);
    const [org] = await h.test.db.query<{ wrapped_data_key: Uint8Array | null }>('select wrapped_data_key from organizations where id = $1', [organizationId]);
    expect(org?.wrapped_data_key).toBeNull();

    const created = await h.request(actors.admin, 'POST', path(organizationId), {
      kind: 'openai', name: 'OpenAI', model: 'gpt-4o', apiKey: firstKey, isDefault: true,
    });
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    expect(createdText).not.toContain(firstKey);
    const provider = JSON.parse(createdText) as Provider & Record<string, unknown>;
    expect(provider).toMatchObject({ name: 'OpenAI', apiKeyHint: 'sk-…abcd', hasApiKey: true, isDefault: true });
    expect(Object.keys(provider).filter((k) => /key|cipher/i.test(k)).sort()).toEqual(['apiKeyHint', 'hasApiKey']);

    // The organization got a data key in the same transaction, and the key opens only with its row's context.
    const [keyed] = await h.test.db.query<{ wrapped_data_key: Uint8Array }>('select wrapped_data_key from organizations where id = $1', [organizationId]);
    const dataKey = unwrapDataKey(h.masterKey, Buffer.from(keyed!.wrapped_data_key));
    const sealed = Buffer.from((await providerRow(provider.id))!.api_key_ciphertext!);
    expect(decryptSecret(dataKey, sealed, apiKeyContext(organizationId, provider.id))).toBe(firstKey);
    expect(() => decryptSecret(dataKey, sealed, apiKeyContext(h.tenantB.organizationId, provider.id))).toThrow();

    const changed = await h.request(actors.admin, 'PATCH', path(organizationId, `/${provider.id}`), { apiKey: secondKey });
    const changedText = await changed.text();
    expect(changed.status, changedText).toBe(200);
    expect(JSON.parse(changedText)).toMatchObject({ apiKeyHint: 'sk-…wxyz', hasApiKey: true });
    const resealed = Buffer.from((await providerRow(provider.id))!.api_key_ciphertext!);
    expect(decryptSecret(dataKey, resealed, apiKeyContext(organizationId, provider.id))).toBe(secondKey);

    const bodies = [
      createdText,
      changedText,
      await (await h.request(actors.viewer, 'GET', path(organizationId))).text(),
      await (await h.request(actors.viewer, 'GET', path(organizationId, `/${provider.id}`))).text(),
    ];
    for (const body of bodies) for (const secret of [firstKey, secondKey]) expect(body).not.toContain(secret);
    expect(JSON.parse(bodies[2]!)).toMatchObject({ items: [{ id: provider.id, apiKeyHint: 'sk-…wxyz' }] });

    // Nowhere in the database either, audit trail included; the scan does find what is there.
    expect(await columnsContaining(h.test.db, firstKey)).toEqual([]);
    expect(await columnsContaining(h.test.db, secondKey)).toEqual([]);
    expect(await columnsContaining(h.test.db, 'sk-…wxyz')).toContain('ai_providers.api_key_hint');

    const removedKey = await h.request(actors.admin, 'PATCH', path(organizationId, `/${provider.id}`), { apiKey: null });
    expect(await removedKey.json()).toMatchObject({ apiKeyHint: null, hasApiKey: false });
    expect((await providerRow(provider.id))?.api_key_ciphertext).toBeNull();
  });

  it('never writes an API key to a log line', async () => {
    const secret = 'sk-live-LOGCHECKsecret-0003-lmno';
    const created = await h.request(h.tenantA.actors.admin, 'POST', path(h.tenantA.organizationId), {
      kind: 'anthropic', name: 'Log check', model: 'claude', apiKey: secret,
    });
    expect(created.status).toBe(201);
    await h.request(h.tenantA.actors.admin, 'POST', path(h.tenantA.organizationId), { name: 'broken', apiKey: secret });
    expect(h.logLines.length).toBeGreaterThan(0);
    expect(h.logLines.join('\n')).not.toContain(secret);
  });

  it('keeps one default provider, refuses duplicate names, and deletes', async () => {
    const { organizationId, actors } = h.tenantA;
    const first = (await (await h.request(actors.owner, 'POST', path(organizationId), { kind: 'ollama', name: 'Local', isDefault: true })).json()) as Provider;
    const second = (await (await h.request(actors.owner, 'POST', path(organizationId), { kind: 'anthropic', name: 'Claude', apiKey: 'short' })).json()) as Provider;
    expect(second).toMatchObject({ apiKeyHint: '…', hasApiKey: true, isDefault: false });
    await h.request(actors.owner, 'PATCH', path(organizationId, `/${second.id}`), { isDefault: true });
    const firstNow = (await (await h.request(actors.owner, 'GET', path(organizationId, `/${first.id}`))).json()) as Provider;
    expect(firstNow).toMatchObject({ isDefault: false });
    expect(await (await h.request(actors.owner, 'PATCH', path(organizationId, `/${first.id}`), {})).json()).toEqual(firstNow);

    const duplicate = await h.request(actors.owner, 'POST', path(organizationId), { kind: 'openai', name: 'Claude' });
    expect(duplicate.status).toBe(409);

    expect((await h.request(actors.admin, 'DELETE', path(organizationId, `/${first.id}`))).status).toBe(204);
    expect((await h.request(actors.admin, 'GET', path(organizationId, `/${first.id}`))).status).toBe(404);
  });

  it('answers 401 without a session and 403 below admin or without the plan feature', async () => {
    const { organizationId, actors } = h.tenantA;
    const body = { kind: 'openai', name: 'Nope', apiKey: 'sk-nope-nope-nope-nope' };
    const anonymous = await h.request(null, 'GET', path(organizationId));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    for (const actor of [actors.member, actors.viewer]) {
      const response = await h.request(actor, 'POST', path(organizationId), body);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const unplanned = await h.request(h.tenantB.actors.admin, 'POST', path(h.tenantB.organizationId), body);
    expect(unplanned.status).toBe(403);
    expect(await unplanned.json()).toMatchObject({ error: { code: 'feature_not_in_plan', details: { feature: 'ai_assistant', plan: 'free' } } });
    expect(await h.test.db.query(`select id from ai_providers where name = 'Nope'`)).toEqual([]);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await h.test.db.query('select * from ai_providers order by id');
    const response = await h.request(actors.admin, 'POST', path(organizationId), {
      kind: 'skynet', name: '', baseUrl: 'ftp://example.test', apiKey: '', extra: true,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['kind', 'name', 'baseUrl', 'apiKey']));
    const unknownField = await h.request(actors.admin, 'PATCH', path(organizationId, `/${crypto.randomUUID()}`), { apiKeyHint: 'x' });
    expect(unknownField.status).toBe(400);
    expect(await h.test.db.query('select * from ai_providers order by id')).toEqual(before);
  });

  it('takes {kind, baseUrl, apiKey, model} alone, and refuses a base URL on a private address without OUTBOUND_ALLOW_PRIVATE', async () => {
    const { organizationId, actors } = h.tenantA;
    const created = await h.request(actors.admin, 'POST', path(organizationId), { kind: 'openai-compatible', baseUrl: 'https://93.184.215.14/v1', apiKey: 'k', model: 'llama3' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ kind: 'openai-compatible', model: 'llama3', name: 'openai-compatible llama3', baseUrl: 'https://93.184.215.14/v1' });
    const before = await h.test.db.query('select * from ai_providers order by id');
    for (const baseUrl of ['http://127.0.0.1:11434/v1', 'http://10.1.2.3/v1', 'http://[::1]:8080/v1', 'http://localhost:11434/v1']) {
      const refused = await h.request(actors.admin, 'POST', path(organizationId), { kind: 'openai-compatible', baseUrl, model: 'llama3', name: baseUrl });
      expect(refused.status, baseUrl).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'baseUrl' }] } });
    }
    const noUrl = await h.request(actors.admin, 'POST', path(organizationId), { kind: 'openai-compatible', model: 'llama3', name: 'no url' });
    expect(noUrl.status).toBe(400);
    expect(await h.test.db.query('select * from ai_providers order by id')).toEqual(before);
  });

  it("answers 404 for another tenant's provider, exactly like a missing one, and leaves it unchanged", async () => {
    const { organizationId, actors } = h.tenantA;
    const mine = (await (await h.request(actors.admin, 'POST', path(organizationId), { kind: 'google', name: 'Gemini', apiKey: 'AIza-victim-key-0000-1234' })).json()) as Provider;
    const before = await providerRow(mine.id);
    const outsider = h.tenantB.actors.owner;
    const attempts = [
      await h.request(outsider, 'GET', path(organizationId, `/${mine.id}`)),
      await h.request(outsider, 'GET', path(h.tenantB.organizationId, `/${mine.id}`)),
      await h.request(outsider, 'PATCH', path(h.tenantB.organizationId, `/${mine.id}`), { apiKey: 'sk-attacker-key-000000' }),
      await h.request(outsider, 'DELETE', path(h.tenantB.organizationId, `/${mine.id}`)),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    const missing = await h.request(outsider, 'GET', path(h.tenantB.organizationId, `/${crypto.randomUUID()}`));
    expect(await attempts[1]!.json()).toEqual(await missing.json());
    expect(await providerRow(mine.id)).toEqual(before);
  });
});
