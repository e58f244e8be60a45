import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTables } from '../../test/support/tenant-catalog.js';
import { type TestDatabase, createTestDatabase } from '../../test/support/database.js';
import { decryptSecret, generateMasterKey, unwrapDataKey } from '../crypto/envelope.js';
import type { Database } from '../db/connection.js';
import { migrate } from '../db/migrator/runner.js';
import { seedDemo } from '../seed/demo.js';
import { readTransferPlan } from './catalog.js';
import { exportTenant } from './export.js';
import { type ImportOptions, importTenant } from './import.js';
import type { ExportKeys, ImportKeys } from './keys.js';
import { readExport, rowsOf, snapshot, writeResealed } from './test-support.js';

const sourceMaster = generateMasterKey();
const targetMaster = generateMasterKey();
const transferKey = generateMasterKey();
const exportKeys: ExportKeys = { sourceMasterKey: () => sourceMaster, transport: { wrappedWith: 'transfer-key', key: transferKey } };
const importKeys: ImportKeys = { targetMasterKey: () => targetMaster, transferKey };

const databases: TestDatabase[] = [];
const dir = mkdtempSync(join(tmpdir(), 'tenantry-transfer-'));

async function migratedDatabase(to?: string): Promise<Database> {
  const test = await createTestDatabase();
  databases.push(test);
  await migrate(test.db, to ? { to } : {});
  return test.db;
}

const source = await migratedDatabase();
await seedDemo(source, { production: false, masterKey: sourceMaster });
const organizations = await source.query<{ id: string; slug: string }>('select id::text as id, slug from organizations order by slug');
const acme = organizations.find((o) => o.slug === 'acme');
const globex = organizations.find((o) => o.slug !== 'acme');
if (!acme || !globex) throw new Error('the demo seed must create acme and a second organization');
await addAwkwardValues(source, acme.id);

/** Values that trip naive serializers: they must survive the round trip exactly. */
async function addAwkwardValues(db: Database, organizationId: string): Promise<void> {
  await db.query(
    `update tasks set description = $2
      where organization_id = $1 and id = (select min(id::text)::uuid from tasks where organization_id = $1)`,
    [organizationId, 'line one\nline "two" \\ tab\t emoji 🦾 separator \u2028 end'],
  );
  // A bigint past 2^53, which a JavaScript number would round (tasks.position was one until 0010).
  await db.query(
    `update project_assets set size_bytes = 9007199254740993
      where organization_id = $1 and id = (select min(id::text)::uuid from project_assets where organization_id = $1)`,
    [organizationId],
  );
  await db.query(
    `update ai_generations set metadata = 'null'::jsonb, cost = 0.000001
      where organization_id = $1 and id = (select min(id::text)::uuid from ai_generations where organization_id = $1)`,
    [organizationId],
  );
  await db.query(
    `update gaps set root_cause_analysis = '{"ü": [1.50, 1e-7, null, {"nested": "tab\\t and \\u00e9"}]}'::jsonb
      where organization_id = $1 and id = (select min(id::text)::uuid from gaps where organization_id = $1)`,
    [organizationId],
  );
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(databases.map((test) => test.destroy()));
});

function exportFile(name: string): string {
  return join(dir, name);
}

async function exportAcme(from: Database, file: string, keys: ExportKeys = exportKeys) {
  return exportTenant(from, { organization: 'acme', out: file, keys });
}

async function refusedWithoutWriting(target: Database, options: ImportOptions, message: RegExp): Promise<void> {
  const before = await snapshot(target);
  await expect(importTenant(target, options)).rejects.toThrow(message);
  expect(await snapshot(target)).toEqual(before);
}

describe('the transfer plan', () => {
  it('covers every table with organization_id plus organizations, and the users, profiles and plans they need', async () => {
    const plan = await source.session((session) => readTransferPlan(session));
    const names = plan.tables.map((t) => t.name);
    const tenant = (await tenantTables(source)).map((t) => t.name);
    expect(plan.tables.filter((t) => t.kind === 'tenant').map((t) => t.name).sort()).toEqual([...tenant].sort());
    expect(plan.tables.filter((t) => t.kind === 'platform').map((t) => t.name).sort()).toEqual([
      'subscription_plans',
      'user_profiles',
      'users',
    ]);
    for (const secret of ['accounts', 'sessions', 'verifications']) expect(names).not.toContain(secret);
  });

  it('puts every referenced table before the tables that reference it', async () => {
    const plan = await source.session((session) => readTransferPlan(session));
    const position = new Map(plan.tables.map((t, i) => [t.name, i]));
    for (const table of plan.tables) {
      for (const fk of table.foreignKeys) {
        if (fk.refTable === table.name || !position.has(fk.refTable)) continue;
        expect(position.get(fk.refTable), `${fk.refTable} before ${table.name}`).toBeLessThan(position.get(table.name) ?? -1);
      }
    }
  });
});

describe('export → import into an empty database', () => {
  const file = exportFile('acme.ndjson');
  let target: Database;

  beforeAll(async () => {
    target = await migratedDatabase();
    await exportAcme(source, file);
    await importTenant(target, { file, keys: importKeys });
  });

  it('exported rows from every tenant table of the catalog', () => {
    const { header } = readExport(file);
    const empty = header.tables.filter((t) => t.kind === 'tenant' && t.rows === 0).map((t) => t.name);
    expect(empty).toEqual([]);
  });

  it("gives the organization's rows unchanged, table by table", async () => {
    for (const table of await tenantTables(source)) {
      const where = `t.${table.tenantColumn} = $1`;
      const expected = await rowsOf(source, table.name, where, [acme.id]);
      expect(await rowsOf(target, table.name, where, [acme.id]), table.name).toEqual(expected);
      expect(expected.length, table.name).toBeGreaterThan(0);
    }
    const members = `(select user_id from members where organization_id = '${acme.id}')`;
    for (const [table, where] of [
      ['users', `t.id in ${members}`],
      ['user_profiles', `t.user_id in ${members}`],
      ['subscription_plans', `t.id in (select plan_id from subscriptions where organization_id = '${acme.id}')`],
    ] as const) {
      const expected = await rowsOf(source, table, where, []);
      expect(await rowsOf(target, table, 'true', []), table).toEqual(expected);
      expect(expected.length, table).toBeGreaterThan(0);
    }
  });

  it('brings nothing of the other organization, nor credentials, nor public templates', async () => {
    for (const table of await tenantTables(target)) {
      const [row] = await target.query<{ n: number }>(
        `select count(*)::int as n from ${table.name} t where t.${table.tenantColumn} is distinct from $1`,
        [acme.id],
      );
      expect(row?.n, table.name).toBe(0);
    }
    for (const table of ['accounts', 'sessions', 'verifications']) {
      expect(await target.query(`select 1 from ${table}`), table).toEqual([]);
    }
  });

  it('exports the same bytes again from the target after the header, plain and gzip', async () => {
    const again = exportFile('acme-again.ndjson');
    const againGz = exportFile('acme-again.ndjson.gz');
    const targetKeys: ExportKeys = { sourceMasterKey: () => targetMaster, transport: { wrappedWith: 'transfer-key', key: transferKey } };
    await exportAcme(target, again, targetKeys);
    await exportAcme(target, againGz, targetKeys);
    const afterHeader = (text: string) => text.slice(text.indexOf('\n') + 1);
    const original = readFileSync(file, 'utf8');
    expect(afterHeader(readFileSync(again, 'utf8'))).toBe(afterHeader(original));
    expect(afterHeader(gunzipSync(readFileSync(againGz)).toString('utf8'))).toBe(afterHeader(original));
    expect(readFileSync(againGz).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('keeps secrets sealed in the file and readable in the target under its own master key', async () => {
    const [sourceOrg] = await source.query<{ key: Uint8Array }>('select wrapped_data_key as key from organizations where id = $1', [acme.id]);
    const [targetOrg] = await target.query<{ key: Uint8Array }>('select wrapped_data_key as key from organizations where id = $1', [acme.id]);
    if (!sourceOrg?.key || !targetOrg?.key) throw new Error('acme must have a data key in both databases');
    const dataKey = unwrapDataKey(sourceMaster, Buffer.from(sourceOrg.key));
    expect(unwrapDataKey(targetMaster, Buffer.from(targetOrg.key)).equals(dataKey)).toBe(true);
    expect(() => unwrapDataKey(sourceMaster, Buffer.from(targetOrg.key))).toThrow(/wrong master key/);

    const secrets = await target.query<{ id: string; sealed: Uint8Array }>(
      'select id::text as id, api_key_ciphertext as sealed from ai_providers where organization_id = $1 and api_key_ciphertext is not null',
      [acme.id],
    );
    expect(secrets.length).toBeGreaterThan(0);
    const text = readFileSync(file, 'utf8');
    for (const secret of secrets) {
      const plaintext = decryptSecret(dataKey, Buffer.from(secret.sealed), `ai_providers:${acme.id}:${secret.id}`);
      expect(plaintext.length).toBeGreaterThan(8);
      expect(text).not.toContain(plaintext);
    }
    for (const encoding of ['base64', 'hex', 'base64url'] as const) {
      expect(text).not.toContain(dataKey.toString(encoding));
      expect(text).not.toContain(Buffer.from(sourceOrg.key).toString(encoding));
    }
  });

  it('refuses to import the organization again, and writes nothing', async () => {
    await refusedWithoutWriting(target, { file, keys: importKeys }, /organization "acme" \([0-9a-f-]+\) already exists .*nothing was written/);
  });

  it('imports a second organization beside it, reusing the user both share, with the data key wrapped for the target master key', async () => {
    const globexFile = exportFile('globex.ndjson.gz');
    await exportTenant(source, {
      organization: globex.id,
      out: globexFile,
      keys: { sourceMasterKey: () => sourceMaster, transport: { wrappedWith: 'target-master-key', key: targetMaster } },
    });
    const summary = await importTenant(target, { file: globexFile, keys: { targetMasterKey: () => targetMaster, transferKey: null } });
    expect(summary.tables.find((t) => t.table === 'users')?.reused).toBeGreaterThan(0);
    const [org] = await target.query<{ key: Uint8Array }>('select wrapped_data_key as key from organizations where id = $1', [globex.id]);
    expect(() => unwrapDataKey(targetMaster, Buffer.from(org?.key ?? []))).not.toThrow();
  });
});

describe('refusals that write nothing', () => {
  const file = exportFile('acme-refusals.ndjson');
  let blank: Database;
  let lines: string[];

  beforeAll(async () => {
    blank = await migratedDatabase();
    await exportAcme(source, file);
    lines = readFileSync(file, 'utf8').split('\n');
  });

  function variant(name: string, content: string | Buffer): string {
    const path = exportFile(name);
    writeFileSync(path, content);
    return path;
  }

  it('a truncated file, wherever it is cut', async () => {
    const text = readFileSync(file, 'utf8');
    const cuts = {
      'half': text.slice(0, Math.floor(text.length / 2)),
      'without the trailer': `${lines.slice(0, -2).join('\n')}\n`,
      'without the last newline': text.slice(0, -1),
      'header only': `${lines[0]}\n`,
    };
    for (const [name, content] of Object.entries(cuts)) {
      await refusedWithoutWriting(blank, { file: variant(`cut-${name}.ndjson`, content), keys: importKeys }, /is damaged/);
    }
    const gz = gzipSync(text);
    await refusedWithoutWriting(blank, { file: variant('cut.ndjson.gz', gz.subarray(0, gz.length - 40)), keys: importKeys }, /is damaged/);
  });

  it('one edited byte, in a row or in the header', async () => {
    const text = readFileSync(file, 'utf8');
    const bodyStart = text.indexOf('\n') + 1;
    const at = text.indexOf('"name":"Acme Robotics"', bodyStart) + '"name":"Acme Robotic'.length;
    expect(at).toBeGreaterThan(bodyStart + 20);
    const inRow = `${text.slice(0, at)}t${text.slice(at + 1)}`;
    await refusedWithoutWriting(blank, { file: variant('edited-row.ndjson', inRow), keys: importKeys }, /do not match the checksum/);
    const inHeader = text.replace('"slug":"acme"', '"slug":"acmf"');
    await refusedWithoutWriting(blank, { file: variant('edited-header.ndjson', inHeader), keys: importKeys }, /header does not match its checksum/);
  });

  it('a re-sealed file that slips in a row of another organization', async () => {
    const parts = readExport(file);
    const [foreign] = await source.query<{ row: string }>(
      `select row_to_json(t)::text as row from (select * from comments where organization_id = $1 limit 1) t`,
      [globex.id],
    );
    if (!foreign) throw new Error('the other organization needs a comment');
    parts.rows.push({ table: 'comments', row: foreign.row });
    parts.rows.sort((a, b) => parts.header.tables.findIndex((t) => t.name === a.table) - parts.header.tables.findIndex((t) => t.name === b.table));
    const path = exportFile('foreign-row.ndjson');
    writeResealed(path, parts);
    await refusedWithoutWriting(blank, { file: path, keys: importKeys }, /belongs to another organization/);
  });

  it('a re-sealed file whose rows point at a user it does not carry', async () => {
    const parts = readExport(file);
    const [owner] = await source.query<{ id: string }>('select owner_id::text as id from organizations where id = $1', [acme.id]);
    parts.rows = parts.rows.filter((r) => !(r.table === 'users' && r.row.includes(`"id":"${owner?.id}"`)));
    parts.rows = parts.rows.filter((r) => !(r.table === 'user_profiles' && r.row.includes(`"user_id":"${owner?.id}"`)));
    const path = exportFile('missing-user.ndjson');
    writeResealed(path, parts);
    await refusedWithoutWriting(blank, { file: path, keys: importKeys }, /would break foreign key .*→ users/);
  });

  it('another schema version', async () => {
    const older = await migratedDatabase('0003');
    await refusedWithoutWriting(older, { file, keys: importKeys }, /schema version \d+ and the database .* is at 0003/);
  });

  it('a missing or wrong transfer key', async () => {
    await refusedWithoutWriting(blank, { file, keys: { ...importKeys, transferKey: null } }, /pass the same --transfer-key/);
    await refusedWithoutWriting(blank, { file, keys: { ...importKeys, transferKey: generateMasterKey() } }, /transfer key does not open/);
  });

  it('a user whose email the target has under another id', async () => {
    const [owner] = await source.query<{ email: string }>(
      'select u.email from users u join organizations o on o.owner_id = u.id where o.id = $1',
      [acme.id],
    );
    await blank.query(`insert into users (name, email) values ('Someone else', $1)`, [owner?.email]);
    try {
      await refusedWithoutWriting(blank, { file, keys: importKeys }, /users .* has the same email .* under another id/);
    } finally {
      await blank.query('delete from users where email = $1', [owner?.email]);
    }
  });

  it('a dry run, which checks everything and keeps nothing', async () => {
    const before = await snapshot(blank);
    const summary = await importTenant(blank, { file, keys: importKeys, dryRun: true });
    expect(summary.rows).toBeGreaterThan(0);
    expect(await snapshot(blank)).toEqual(before);
  });
});

describe('export refusals', () => {
  it('an unknown organization', async () => {
    await expect(exportTenant(source, { organization: 'no-such-org', out: exportFile('none.ndjson') })).rejects.toThrow(
      /no organization with id or slug "no-such-org"/,
    );
  });

  it('an organization with a data key and no key to carry it, leaving no file', async () => {
    const out = exportFile('no-key.ndjson');
    await expect(
      exportTenant(source, { organization: 'acme', out, keys: { sourceMasterKey: () => sourceMaster, transport: null } }),
    ).rejects.toThrow(/has a data key protecting its secrets; pass --transfer-key/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('platform rows the target already has', () => {
  it('matches a plan by its code and re-points the subscription; resets a platform role', async () => {
    const target = await migratedDatabase();
    const original = exportFile('acme-for-platform.ndjson');
    await exportAcme(source, original);
    const parts = readExport(original);
    // An admin on the source platform arrives as an ordinary user.
    const userIndex = parts.rows.findIndex((r) => r.table === 'users');
    const user = parts.rows[userIndex];
    if (!user) throw new Error('no users in the export');
    parts.rows[userIndex] = { ...user, row: user.row.replace('"role":"user"', '"role":"admin"') };
    const path = exportFile('acme-admin.ndjson');
    writeResealed(path, parts);

    const [plan] = await source.query<{ code: string }>(
      'select p.code from subscription_plans p join subscriptions s on s.plan_id = p.id where s.organization_id = $1',
      [acme.id],
    );
    const [local] = await target.query<{ id: string }>(
      `insert into subscription_plans (code, name) values ($1, 'Local plan') returning id::text as id`,
      [plan?.code],
    );
    const summary = await importTenant(target, { file: path, keys: importKeys });
    expect(summary.tables.find((t) => t.table === 'subscription_plans')?.remapped).toBe(1);
    expect(summary.reset).toBe(1);
    const subscriptions = await target.query<{ plan: string }>('select plan_id::text as plan from subscriptions');
    expect(subscriptions).toEqual([{ plan: local?.id }]);
    expect(await target.query(`select 1 from users where role <> 'user'`)).toEqual([]);
    expect(await target.query('select code from subscription_plans')).toEqual([{ code: plan?.code }]);
  });
});
