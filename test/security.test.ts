/**
 * The cross-tenant security suite, generated from /openapi.json: every operation under
 * /orgs/{orgId} is called by a member of organization B with organization A's ids, and must
 * answer 404 exactly like a missing resource, leaving A's data unchanged. A new route is
 * covered the day it is documented, without editing this file.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth/auth.js';
import { generateMasterKey } from '../src/crypto/envelope.js';
import { migrate } from '../src/db/migrator/runner.js';
import { quoteIdent } from '../src/db/roles.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/http/logger.js';
import { seedDemo } from '../src/seed/demo.js';
import { createTestDatabase } from './support/database.js';
import { type Operation, tableFor, tenantOperations } from './support/openapi-operations.js';
import { sampleOf } from './support/openapi-sample.js';
import { tenantTables } from './support/tenant-catalog.js';

const test = await createTestDatabase();
await migrate(test.db);
const masterKey = generateMasterKey();
const seeded = await seedDemo(test.db, { production: false, masterKey });
const auth = createAuth({ db: test.db, secret: randomBytes(32).toString('hex'), baseUrl: 'http://localhost', signInPerMinute: 0 });
const app = createApp({ db: test.db, auth, logger: createLogger('silent'), masterKey, dataDir: `/tmp/tenantry-security-${randomBytes(4).toString('hex')}` });

afterAll(async () => {
  await test.destroy();
});

const orgBySlug = async (slug: string) =>
  (await test.db.query<{ id: string }>('select id from organizations where slug = $1', [slug]))[0]?.id ?? '';
const victim = await orgBySlug('acme');
const attackerOrg = await orgBySlug('globex');
// The attacker is globex's owner, who is not a member of acme.
const attackerLogin = seeded.logins.find((l) => l.role === 'owner' && /globex/i.test(l.organization));
if (!victim || !attackerOrg || !attackerLogin) throw new Error('the demo seed must provide acme, globex and a globex owner');
const signIn = await app.request('/api/auth/sign-in/email', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: attackerLogin.email, password: attackerLogin.password }),
});
const token = signIn.headers.get('set-auth-token');
if (!token) throw new Error(`the attacker could not sign in: ${signIn.status}`);

const { operations, resolveRef } = await tenantOperations(app);

/** One of acme's rows of a table, preferring live ones; `user_id` for a person (`{userId}`). */
async function victimId(table: string, column = 'id'): Promise<string> {
  const [row] = await test.db.query<{ id: string }>(
    `select ${quoteIdent(column)}::text as id from ${quoteIdent(table)} where organization_id = $1 order by id limit 1`,
    [victim],
  );
  if (!row) throw new Error(`no acme row in ${table} to aim at`);
  return row.id;
}

async function victimFingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tenantTables(test.db)) {
    const [row] = await test.db.query<{ digest: string }>(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${quoteIdent(table.name)} t
        where ${quoteIdent(table.tenantColumn)} = $1`,
      [victim],
    );
    out[table.name] = row?.digest ?? '';
  }
  return out;
}

async function attack(operation: Operation, orgId: string): Promise<Response> {
  let path = operation.path.replace('{orgId}', orgId);
  for (const [, param] of operation.path.matchAll(/\{(\w+)\}/g)) {
    if (!param || param === 'orgId') continue;
    // A number (a document's `{version}`) is no row id: the smallest its schema allows, which the victim's row has too.
    const schema = operation.parameters?.find((p) => p.in === 'path' && p.name === param)?.schema;
    if (schema?.type === 'integer') {
      path = path.replace(`{${param}}`, String(sampleOf(schema, resolveRef, () => crypto.randomUUID())));
      continue;
    }
    // A person is named by user id: aim at someone in acme's members (or the project's members).
    const person = param === 'userId' ? (operation.path.includes('/projects/{projectId}/members') ? 'project_members' : 'members') : null;
    path = path.replace(`{${param}}`, person ? await victimId(person, 'user_id') : await victimId(tableFor(operation.path, param)));
  }
  const content = operation.requestBody?.content ?? {};
  const [contentType, media] = Object.entries(content)[0] ?? [];
  const ids: Record<string, string> = {};
  for (const field of JSON.stringify(media?.schema ?? {}).match(/"(\w+Id)"/g) ?? []) {
    const name = field.replaceAll('"', '');
    ids[name] = await victimId(tableFor('', name)).catch(() => crypto.randomUUID());
  }
  const body =
    contentType === 'application/json' && media
      ? JSON.stringify(sampleOf(media.schema, resolveRef, (name) => ids[name] ?? crypto.randomUUID()))
      : contentType
        ? 'probe bytes'
        : undefined;
  return app.request(`${path}?fileName=probe.txt`, {
    method: operation.method,
    headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(body === undefined ? {} : { body }),
  });
}

describe('cross-tenant security suite (from /openapi.json)', () => {
  it('finds the tenant operations to attack', () => {
    expect(operations.length).toBeGreaterThan(5);
  });

  const before = victimFingerprint();

  it.each(operations)("$method $path with the victim's orgId answers 404", async (operation) => {
    const response = await attack(operation, victim);
    expect(response.status, await response.clone().text()).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it.each(operations.filter((op) => /\{(?!orgId)\w+\}/.test(op.path)))(
    "$method $path with the attacker's orgId and the victim's ids answers 404",
    async (operation) => {
      const response = await attack(operation, attackerOrg);
      expect(response.status, await response.clone().text()).toBe(404);
    },
  );

  it("leaves the victim's rows exactly as they were", async () => {
    expect(await victimFingerprint()).toEqual(await before);
  });
});
