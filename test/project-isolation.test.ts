/**
 * The project-level layer of the isolation suites (private projects, migration 0024): acme's WEB
 * project is made private, and one acme member is taken off it. Generated, like the tenant
 * layers, so that a table or a route added tomorrow is covered without editing this file:
 * - from the catalog: every tenant table's rows that belong to WEB (by project_id, or through a
 *   foreign key to a table that has one) are invisible and unchangeable under RLS for that
 *   member, while an admin and a project member see every one of them;
 * - from /openapi.json: every operation whose path names WEB or one of its rows answers that
 *   member 404 exactly like a missing resource, and WEB's rows stay as they were.
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
import { asApp } from './support/as-role.js';
import { createTestDatabase } from './support/database.js';
import { type Operation, tableFor, tenantOperations } from './support/openapi-operations.js';
import { sampleOf } from './support/openapi-sample.js';
import { tenantTables } from './support/tenant-catalog.js';

const test = await createTestDatabase();
await migrate(test.db);
const masterKey = generateMasterKey();
const seeded = await seedDemo(test.db, { production: false, masterKey });
const auth = createAuth({ db: test.db, secret: randomBytes(32).toString('hex'), baseUrl: 'http://localhost', signInPerMinute: 0 });
const app = createApp({ db: test.db, auth, logger: createLogger('silent'), masterKey, dataDir: `/tmp/tenantry-project-isolation-${randomBytes(4).toString('hex')}` });

afterAll(async () => {
  await test.destroy();
});

const [acme] = await test.db.query<{ id: string }>(`select id from organizations where slug = 'acme'`);
const [web] = await test.db.query<{ id: string }>(`select id from projects where organization_id = $1 and key = 'WEB'`, [acme?.id]);
const outsiderLogin = seeded.logins.find((l) => l.role === 'member' && /acme/i.test(l.organization));
if (!acme || !web || !outsiderLogin) throw new Error('the demo seed must provide acme, its WEB project and an acme member');
const orgId = acme.id;
const projectId = web.id;
const roleOf = async (role: string) =>
  (await test.db.query<{ user_id: string }>('select user_id from members where organization_id = $1 and role = $2 order by user_id limit 1', [orgId, role]))[0]?.user_id ?? '';
const [outsider] = await test.db.query<{ id: string }>('select id from users where email = $1', [outsiderLogin.email]);
const outsiderId = outsider?.id ?? '';
await test.db.query(`update projects set visibility = 'private' where id = $1`, [projectId]);
await test.db.query('delete from project_members where organization_id = $1 and project_id = $2 and user_id = $3', [orgId, projectId, outsiderId]);
const [onProject] = await test.db.query<{ user_id: string }>(
  `select pm.user_id from project_members pm join members m on m.organization_id = pm.organization_id and m.user_id = pm.user_id
    where pm.project_id = $1 and m.role in ('member', 'viewer') order by 1 limit 1`,
  [projectId],
);
const adminId = await roleOf('admin');

/**
 * Every tenant table with rows that belong to WEB, and the predicate that finds them: its own
 * project_id (or id, for projects), else a foreign key to a table that has a project_id.
 */
const tables = await tenantTables(test.db);
const projectLinks = await test.db.query<{ child: string; column: string; parent: string }>(`
  select c.conrelid::regclass::text as child, a.attname::text as column, c.confrelid::regclass::text as parent
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[2]
   where c.contype = 'f' and cardinality(c.conkey) = 2
     and exists (select from pg_attribute p where p.attrelid = c.confrelid and p.attname = 'project_id' and not p.attisdropped)
   order by 1, 2`);
async function webPredicate(table: string): Promise<string | null> {
  if (table === 'projects') return 'id = $1';
  const [own] = await test.db.query<{ found: boolean }>(
    `select true as found from pg_attribute where attrelid = $1::regclass and attname = 'project_id' and not attisdropped`,
    [table],
  );
  if (own) return 'project_id = $1';
  const link = projectLinks.find((l) => l.child === table);
  return link ? `${quoteIdent(link.column)} in (select id from ${quoteIdent(link.parent)} where project_id = $1)` : null;
}
const projectTables: { name: string; ids: string[] }[] = [];
for (const table of tables) {
  const predicate = await webPredicate(table.name);
  if (!predicate) continue;
  const rows = await test.db.query<{ id: string }>(`select id::text as id from ${quoteIdent(table.name)} where ${predicate}`, [projectId]);
  projectTables.push({ name: table.name, ids: rows.map((r) => r.id) });
}

describe('private project rows under RLS (from the catalog)', () => {
  it('finds the tables that hang off a project, with rows of WEB in the main ones', () => {
    const withRows = projectTables.filter((t) => t.ids.length > 0).map((t) => t.name);
    expect(withRows).toEqual(expect.arrayContaining(['projects', 'tasks', 'comments', 'documents', 'document_versions', 'epics', 'sprints', 'project_members']));
  });

  const visibleTo = (userId: string, table: string, ids: string[]) =>
    asApp(test.db, { organizationId: orgId, userId }, (s) =>
      s.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(table)} where id = any($1::uuid[])`, [ids]),
    ).then((rows) => rows[0]?.n);

  it.each(projectTables.filter((t) => t.ids.length > 0))('$name: a member not on WEB sees none of its rows', async ({ name, ids }) => {
    expect(await visibleTo(outsiderId, name, ids)).toBe(0);
  });

  it.each(projectTables.filter((t) => t.ids.length > 0))('$name: an admin and a project member see every one', async ({ name, ids }) => {
    expect(await visibleTo(adminId, name, ids)).toBe(ids.length);
    expect(await visibleTo(onProject?.user_id ?? '', name, ids)).toBe(ids.length);
  });

  it.each(projectTables.filter((t) => t.ids.length > 0))('$name: a member not on WEB can change none of its rows', async ({ name, ids }) => {
    for (const statement of [
      `update ${quoteIdent(name)} set updated_at = updated_at where id = any($1::uuid[]) returning 1`,
      `delete from ${quoteIdent(name)} where id = any($1::uuid[]) returning 1`,
    ]) {
      const outcome = await asApp(test.db, { organizationId: orgId, userId: outsiderId }, (s) =>
        s.query(statement, [ids]).then(
          (rows) => `${rows.length} rows`,
          (error: { code?: string }) => error.code ?? 'error',
        ),
      );
      expect(['0 rows', '42501']).toContain(outcome);
    }
  });
});

const { operations, resolveRef } = await tenantOperations(app);

/** One of WEB's rows of a table (live ones first), or undefined when the table does not hang off a project. */
async function webRowOf(table: string, column = 'id'): Promise<string | undefined> {
  const predicate = await webPredicate(table);
  if (!predicate) return undefined;
  const [row] = await test.db.query<{ id: string }>(
    `select ${quoteIdent(column)}::text as id from ${quoteIdent(table)} where ${predicate} order by id limit 1`,
    [projectId],
  );
  return row?.id;
}

/** The path with WEB's ids in it, or null when no parameter names WEB or a row of it. */
async function pathAtWeb(operation: Operation): Promise<string | null> {
  let path = operation.path.replace('{orgId}', orgId);
  let namesWeb = false;
  for (const [, param] of operation.path.matchAll(/\{(\w+)\}/g)) {
    if (!param || param === 'orgId') continue;
    const schema = operation.parameters?.find((p) => p.in === 'path' && p.name === param)?.schema;
    if (schema?.type === 'integer') {
      path = path.replace(`{${param}}`, String(sampleOf(schema, resolveRef, () => crypto.randomUUID())));
      continue;
    }
    const id = param === 'userId' && operation.path.includes('/projects/{projectId}/members') ? await webRowOf('project_members', 'user_id') : await webRowOf(tableFor(operation.path, param));
    if (!id) return null;
    namesWeb = true;
    path = path.replace(`{${param}}`, id);
  }
  return namesWeb ? path : null;
}

const aimed: (Operation & { target: string })[] = [];
for (const operation of operations) {
  const target = await pathAtWeb(operation);
  if (target) aimed.push({ ...operation, target });
}

const signIn = await app.request('/api/auth/sign-in/email', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: outsiderLogin.email, password: outsiderLogin.password }),
});
const token = signIn.headers.get('set-auth-token');
if (!token) throw new Error(`the outsider could not sign in: ${signIn.status}`);

async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { name, ids } of projectTables) {
    const [row] = await test.db.query<{ digest: string }>(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${quoteIdent(name)} t where id = any($1::uuid[])`,
      [ids],
    );
    out[name] = row?.digest ?? '';
  }
  return out;
}

describe('private project routes (from /openapi.json)', () => {
  it('finds the operations that name a project or its rows', () => {
    expect(aimed.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/orgs/{orgId}/projects/{id}',
        'GET /api/v1/orgs/{orgId}/tasks/{id}',
        'POST /api/v1/orgs/{orgId}/tasks/{taskId}/comments',
        'GET /api/v1/orgs/{orgId}/documents/{id}/versions',
      ]),
    );
  });

  const before = fingerprint();

  /** The operation at `path` as that member, with a sample body. */
  const call = (operation: Operation, path: string) => {
    const content = operation.requestBody?.content ?? {};
    const [contentType, media] = Object.entries(content)[0] ?? [];
    const body =
      contentType === 'application/json' && media
        ? JSON.stringify(sampleOf(media.schema, resolveRef, () => crypto.randomUUID()))
        : contentType
          ? 'probe bytes'
          : undefined;
    return app.request(`${path}?fileName=probe.txt`, {
      method: operation.method,
      headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(body === undefined ? {} : { body }),
    });
  };
  /** The same operation aimed at ids that exist nowhere. */
  const missing = (operation: Operation & { target: string }) =>
    operation.target.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => (id === orgId ? id : crypto.randomUUID()));

  // 404, as for a missing resource; where the member's organization role refuses the operation
  // whatever it names (restoring, deleting a project: admins only), the same 403 a missing id gets.
  it.each(aimed)('$method $path naming WEB answers a member not on it as if it did not exist', async (operation) => {
    const response = await call(operation, operation.target);
    const nowhere = await call(operation, missing(operation));
    const body = (await response.clone().json()) as { error?: { code?: string } };
    expect(response.status, JSON.stringify(body)).toBe(nowhere.status === 403 ? 403 : 404);
    expect(body.error?.code).toBe(((await nowhere.json()) as { error?: { code?: string } }).error?.code);
  });

  it("leaves WEB's rows exactly as they were", async () => {
    expect(await fingerprint()).toEqual(await before);
  });

  it('lists neither WEB nor its tasks to that member', async () => {
    const get = async (path: string) =>
      (await (await app.request(path, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: string; projectId?: string }[] };
    expect((await get(`/api/v1/orgs/${orgId}/projects`)).items.map((p) => p.id)).not.toContain(projectId);
    expect((await get(`/api/v1/orgs/${orgId}/tasks?limit=100`)).items.filter((t) => t.projectId === projectId)).toEqual([]);
  });
});
