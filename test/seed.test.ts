/**
 * `tenantry db seed`: idempotent, fills every tenant table for both demo organizations (read
 * from the catalog, so a new table is held to it the day it lands), keeps demo users out of
 * production, stores Better Auth-compatible password hashes and never stores a secret in clear.
 */
import { verifyPassword } from 'better-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret, generateMasterKey, secretHint, unwrapDataKey } from '../src/crypto/envelope.js';
import type { Database } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator/runner.js';
import { quoteIdent } from '../src/db/roles.js';
import { DEMO_ORGANIZATIONS, demoApiKey, demoIntegrationCredentials } from '../src/seed/content/organizations.js';
import { type SeedSummary, seedDemo } from '../src/seed/demo.js';
import { seedId, uuidV5 } from '../src/seed/ids.js';
import { type TestDatabase, createTestDatabase } from './support/database.js';

const masterKey = generateMasterKey();

/** Every base table in `public`, straight from the catalog. */
async function publicTables(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
  );
  return rows.map((row) => row.name);
}

/** Row count and a digest of every row's full text per table: equal snapshots mean nothing was inserted, updated or deleted. */
async function snapshot(db: Database): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of await publicTables(db)) {
    const [row] = await db.query<{ n: number; digest: string | null }>(
      `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as digest from ${quoteIdent(table)} t`,
    );
    result[table] = `${row?.n ?? 0} rows, ${row?.digest ?? 'empty'}`;
  }
  return result;
}

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql, params);
  return row?.n ?? 0;
}

describe('demo seed', () => {
  let test: TestDatabase;
  let first: SeedSummary;
  let second: SeedSummary;
  let afterFirst: Record<string, string>;
  let afterSecond: Record<string, string>;
  const progress: string[] = [];

  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    first = await seedDemo(test.db, { production: false, masterKey, onProgress: (line) => progress.push(line) });
    afterFirst = await snapshot(test.db);
    second = await seedDemo(test.db, { production: false, masterKey, onProgress: (line) => progress.push(line) });
    afterSecond = await snapshot(test.db);
  });

  afterAll(async () => {
    await test?.destroy();
  });

  it('derives ids as RFC 9562 version 5 UUIDs', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(seedId('organization', 'acme')).toBe(seedId('organization', 'acme'));
    expect(seedId('organization', 'acme')).not.toBe(seedId('organization', 'globex'));
  });

  it('changes nothing when run a second time: same row counts, same rows', () => {
    expect(Object.keys(afterFirst).length).toBeGreaterThan(20);
    expect(afterSecond).toEqual(afterFirst);
    expect(Object.values(first.rows).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(300);
    expect(second.rows).toEqual({});
    expect(second.logins).toEqual(first.logins);
    expect(progress).toEqual([
      expect.stringMatching(/^Acme Robotics \(acme\): inserted \d+ rows$/),
      expect.stringMatching(/^Globex Labs \(globex\): inserted \d+ rows$/),
      'Acme Robotics (acme): already seeded, nothing inserted',
      'Globex Labs (globex): already seeded, nothing inserted',
    ]);
  });

  it('puts rows for at least two organizations in every table with an organization_id', async () => {
    const tables = await test.db.query<{ name: string }>(
      `select c.relname as name from pg_class c
         join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
         join pg_attribute a on a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped
        where c.relkind in ('r', 'p') order by 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['members', 'tasks', 'audit_logs', 'predictions']));
    const thin: string[] = [];
    for (const { name } of tables) {
      const organizations = await count(test.db, `select count(distinct organization_id)::int as n from ${quoteIdent(name)}`);
      if (organizations < 2) thin.push(`${name} (${organizations})`);
    }
    expect(thin).toEqual([]);
    expect(await count(test.db, 'select count(*)::int as n from organizations')).toBeGreaterThanOrEqual(2);
  });

  it('gives every organization every member role and one user who belongs to both', async () => {
    const roles = await test.db.query<{ slug: string; roles: string[] }>(
      `select o.slug, array_agg(distinct m.role order by m.role) as roles
         from organizations o join members m on m.organization_id = o.id group by o.slug order by o.slug`,
    );
    expect(roles).toEqual([
      { slug: 'acme', roles: ['admin', 'member', 'owner', 'viewer'] },
      { slug: 'globex', roles: ['admin', 'member', 'owner', 'viewer'] },
    ]);
    const shared = await count(
      test.db,
      'select count(*)::int as n from (select user_id from members group by user_id having count(*) > 1) s',
    );
    expect(shared).toBe(1);
  });

  it('gives every project at least 15 tasks of every type, status and priority, done ones completed', async () => {
    const projects = await test.db.query<{ key: string; n: number; types: string[]; statuses: string[]; priorities: string[] }>(
      `select p.key, count(*)::int as n,
              array_agg(distinct t.type order by t.type) as types,
              array_agg(distinct t.status order by t.status) as statuses,
              array_agg(distinct t.priority order by t.priority) as priorities
         from projects p join tasks t on t.organization_id = p.organization_id and t.project_id = p.id
        group by p.key order by p.key`,
    );
    expect(projects.length).toBeGreaterThanOrEqual(4);
    for (const project of projects) {
      expect(project.n).toBeGreaterThanOrEqual(15);
      expect(project.types).toEqual(['bug', 'chore', 'story', 'task']);
      expect(project.statuses).toEqual(['canceled', 'done', 'in_progress', 'in_review', 'todo']);
      expect(project.priorities).toEqual(['high', 'low', 'medium', 'urgent']);
    }
    expect(await count(test.db, `select count(*)::int as n from tasks where status = 'done' and completed_at is null`)).toBe(0);
  });

  it('stores a credential account whose hash verifies with Better Auth', async () => {
    expect(first.logins.map((login) => login.role)).toEqual(expect.arrayContaining(['owner', 'admin', 'member', 'viewer']));
    for (const login of first.logins) {
      const [account] = await test.db.query<{ password: string }>(
        `select a.password from accounts a join users u on u.id = a.user_id
          where u.email = $1 and a.provider_id = 'credential' and a.account_id = u.id::text`,
        [login.email],
      );
      expect(account, login.email).toBeDefined();
      expect(login.password.length).toBeGreaterThanOrEqual(8);
      expect(await verifyPassword({ hash: account?.password ?? '', password: login.password }), login.email).toBe(true);
    }
    const [someone] = first.logins;
    const [hash] = await test.db.query<{ password: string }>(
      `select a.password from accounts a join users u on u.id = a.user_id where u.email = $1`,
      [someone?.email],
    );
    expect(await verifyPassword({ hash: hash?.password ?? '', password: 'not-the-password' })).toBe(false);
  });

  it('encrypts AI keys and integration credentials with the organization key and stores no secret in clear', async () => {
    const secrets: string[] = [];
    for (const organization of DEMO_ORGANIZATIONS) {
      const [org] = await test.db.query<{ id: string; wrapped_data_key: Uint8Array }>(
        'select id, wrapped_data_key from organizations where slug = $1',
        [organization.slug],
      );
      if (!org) throw new Error(`organization ${organization.slug} was not seeded`);
      const dataKey = unwrapDataKey(masterKey, Buffer.from(org.wrapped_data_key));

      const providers = await test.db.query<{ id: string; name: string; api_key_ciphertext: Uint8Array; api_key_hint: string }>(
        'select id, name, api_key_ciphertext, api_key_hint from ai_providers where organization_id = $1 and api_key_ciphertext is not null',
        [org.id],
      );
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        const apiKey = demoApiKey(organization.slug, provider.name);
        const sealed = Buffer.from(provider.api_key_ciphertext);
        expect(decryptSecret(dataKey, sealed, `ai_providers:${org.id}:${provider.id}`)).toBe(apiKey);
        expect(provider.api_key_hint).toBe(secretHint(apiKey));
        secrets.push(apiKey);
      }

      const integrations = await test.db.query<{ id: string; type: 'github' | 'slack' | 'jira'; name: string; credentials_ciphertext: Uint8Array }>(
        'select id, type, name, credentials_ciphertext from integrations where organization_id = $1',
        [org.id],
      );
      for (const integration of integrations) {
        const credentials = demoIntegrationCredentials(organization.slug, integration);
        const sealed = Buffer.from(integration.credentials_ciphertext);
        expect(JSON.parse(decryptSecret(dataKey, sealed, `integrations:${org.id}:${integration.id}`))).toEqual(credentials);
        secrets.push(...Object.values(credentials).filter((value) => !value.includes('@')));
      }
    }
    expect(secrets.length).toBeGreaterThanOrEqual(4);

    const columns = await test.db.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'bytea')
        order by 1, 2`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining(['ai_providers.api_key_hint', 'audit_logs.new_values', 'ai_providers.api_key_ciphertext']),
    );
    const leaks: string[] = [];
    for (const column of columns) {
      const value = quoteIdent(column.column_name);
      // bytea is searched as bytes, so a secret stored unencrypted in a binary column is caught too.
      const haystack = column.data_type === 'bytea' ? value : `${value}::text`;
      const needle = column.data_type === 'bytea' ? `convert_to(s, 'UTF8')` : 's';
      const hits = await count(
        test.db,
        `select count(*)::int as n from ${quoteIdent(column.table_name)}
          where exists (select 1 from unnest($1::text[]) s where position(${needle} in ${haystack}) > 0)`,
        [secrets],
      );
      if (hits > 0) leaks.push(`${column.table_name}.${column.column_name}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('demo seed in production', () => {
  let test: TestDatabase;
  let summary: SeedSummary;

  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    summary = await seedDemo(test.db, { production: true });
  });

  afterAll(async () => {
    await test?.destroy();
  });

  it('loads plans, features and public templates but no demo users or organizations', async () => {
    expect(summary.demoData).toBe('refused_in_production');
    expect(summary.logins).toEqual([]);
    expect(await count(test.db, 'select count(*)::int as n from users')).toBe(0);
    expect(await count(test.db, 'select count(*)::int as n from accounts')).toBe(0);
    expect(await count(test.db, 'select count(*)::int as n from organizations')).toBe(0);

    const plans = await test.db.query<{ code: string; max_members: number | null; max_ai_tokens_per_month: string | null }>(
      'select code, max_members, max_ai_tokens_per_month::text from subscription_plans order by price_cents',
    );
    expect(plans.map((plan) => plan.code)).toEqual(['free', 'pro', 'enterprise']);
    expect(plans[2]).toMatchObject({ max_members: null, max_ai_tokens_per_month: null });
    const features = await test.db.query<{ code: string }>('select code from features');
    expect(features.map((f) => f.code)).toEqual(expect.arrayContaining(['ai_assistant', 'integrations', 'advanced_reports', 'sso', 'audit_export']));
    expect(await count(test.db, 'select count(*)::int as n from plan_features')).toBeGreaterThan(0);
    expect(await count(test.db, 'select count(*)::int as n from public_templates')).toBeGreaterThan(0);
  });

  it('refuses demo data without a master key, before writing anything', async () => {
    await expect(seedDemo(test.db, { production: false })).rejects.toThrow(/master key/);
    expect(await count(test.db, 'select count(*)::int as n from users')).toBe(0);
  });
});
