import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, createTestDatabase, engine } from '../../test/support/database.js';
import { registerDistribute } from '../cli/commands/db-distribute.js';
import { registerValidate } from '../cli/commands/db-validate.js';
import { type Database, openDatabase } from '../db/connection.js';
import { TenantryError } from '../errors.js';
import { DEFAULT_REFERENCE_LIMITS, distribute } from './index.js';
import { COMPLIANT_PLAN, COMPLIANT_SCHEMA } from './test-fixtures.js';

/**
 * Citus cannot be installed here, so the tests that need it present get a stand-in: a
 * pg_extension row (what distribute looks for) and two functions with Citus's signatures that
 * record each call, with the shard-modify mode it ran under. Only ever in a throwaway database.
 */
const FAKE_CITUS = `
  create schema fake_citus;
  create table fake_citus.calls (n serial primary key, call text not null);
  create function public.create_reference_table(t regclass) returns void language sql as $$
    insert into fake_citus.calls (call)
    values ('reference ' || t::text || ' ' || coalesce(current_setting('citus.multi_shard_modify_mode', true), 'parallel')) $$;
  create function public.create_distributed_table(t regclass, col text, colocate_with text default 'default')
    returns void language sql as $$
    insert into fake_citus.calls (call)
    values ('distributed ' || t::text || ' by ' || col || ' with ' || colocate_with || ' ' ||
            coalesce(current_setting('citus.multi_shard_modify_mode', true), 'parallel')) $$;
  insert into pg_extension (oid, extname, extowner, extnamespace, extrelocatable, extversion)
  values (987654, 'citus', (select oid from pg_roles where rolname = current_user), 'fake_citus'::regnamespace,
          false, '12.1-fake');`;

const REMOVE_FAKE_CITUS = `
  delete from pg_extension where extname = 'citus';
  drop function public.create_reference_table(regclass);
  drop function public.create_distributed_table(regclass, text, text);
  drop schema fake_citus cascade;`;

/** The tables of COMPLIANT_SCHEMA in plan order, and the keys between its distributed tables. */
const PLANNED_TABLES = ['users', 'organizations', 'members', 'projects', 'audit_logs', 'tasks'];
const DISTRIBUTED_KEYS = [
  ['members', 'members_organization_id_fkey'],
  ['projects', 'projects_organization_id_fkey'],
  ['projects', 'projects_organization_id_owner_id_fkey'],
  ['tasks', 'tasks_organization_id_fkey'],
  ['tasks', 'tasks_organization_id_project_id_fkey'],
];
/** An asymmetric matcher for one line (vitest types it as any). */
function matching(pattern: RegExp): unknown {
  return expect.stringMatching(pattern);
}

const ABSENT = 'the citus extension is not installed in this database; nothing was changed (--dry-run shows the plan without it)';

/** Everything distribute could change: the relations, their kinds, and the extensions. */
async function schemaSnapshot(db: Database): Promise<unknown> {
  return db.query(
    `select (select array_agg(extname::text order by extname) from pg_extension) as extensions,
            (select array_agg(c.relname::text || ':' || c.relkind::text order by c.relname)
               from pg_class c where c.relnamespace = 'public'::regnamespace) as relations`,
  );
}

describe('distribute', () => {
  let test: TestDatabase;
  const exec = (script: string) => test.db.session((session) => session.exec(script));
  const calls = async () => (await test.db.query<{ call: string }>('select call from fake_citus.calls order by n')).map((r) => r.call);
  const options = { dryRun: false, limits: DEFAULT_REFERENCE_LIMITS };

  beforeAll(async () => {
    test = await createTestDatabase();
    await exec(COMPLIANT_SCHEMA);
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('without the citus extension reads nothing, changes nothing and says so', async () => {
    const before = await schemaSnapshot(test.db);
    expect(await distribute(test.db, options)).toEqual({ status: 'citus-absent' });
    expect(await schemaSnapshot(test.db)).toEqual(before);
  });

  it('plans without Citus on --dry-run', async () => {
    const outcome = await distribute(test.db, { ...options, dryRun: true });
    expect(outcome).toMatchObject({ status: 'planned', citusVersion: null, report: { ok: true, findings: [] } });
    expect(outcome.status === 'planned' && outcome.steps.map((s) => s.statement)).toEqual(COMPLIANT_PLAN);
  });

  describe('with Citus present', () => {
    beforeEach(async () => {
      await exec(FAKE_CITUS);
    });
    afterEach(async () => {
      await exec(REMOVE_FAKE_CITUS);
    });

    it('refuses on a readiness finding and calls nothing', async () => {
      await exec('create table widgets (organization_id uuid not null, id uuid primary key)');
      try {
        const outcome = await distribute(test.db, options);
        expect(outcome.status).toBe('refused');
        expect(outcome.status === 'refused' && outcome.report.findings.map((f) => `${f.rule} ${f.table}`)).toEqual([
          'citus-primary-key widgets',
        ]);
        expect(await calls()).toEqual([]);
      } finally {
        await exec('drop table widgets');
      }
    });
  });
});

/**
 * A database the CLI can open through its own configuration: the test server's fresh database,
 * or a PGlite folder (an in-memory one is invisible to withDatabase). PGlite allows one opener at
 * a time, so `use` opens it only for the length of the callback.
 */
type CliDatabase = {
  env: Record<string, string | undefined>;
  use<T>(work: (db: Database) => Promise<T>): Promise<T>;
  destroy(): Promise<void>;
};

async function createCliDatabase(): Promise<CliDatabase> {
  if (engine === 'postgres') {
    const test = await createTestDatabase();
    return { env: { DATABASE_URL: test.url ?? undefined }, use: (work) => work(test.db), destroy: () => test.destroy() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'tenantry-citus-'));
  return {
    env: { DATABASE_URL: undefined, TENANTRY_DATA_DIR: dir },
    use: async (work) => {
      const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
    destroy: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs `tenantry db …` in process against `database`; returns what it printed and what it threw. */
async function runCli(database: CliDatabase, ...args: string[]): Promise<{ printed: string[]; error: unknown }> {
  const program = new Command('tenantry').exitOverride();
  const db = program.command('db');
  registerDistribute(db);
  registerValidate(db);
  // Vitest sets BASE_URL to "/" for Vite; the CLI would take it for the server's public URL.
  const env = { BASE_URL: undefined, ...database.env };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const output: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  let error: unknown = null;
  try {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await program.parseAsync(['db', ...args], { from: 'user' });
  } catch (caught) {
    error = caught;
  } finally {
    write.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return { printed: output.join('').split('\n').slice(0, -1), error };
}

describe('tenantry db distribute', () => {
  let database: CliDatabase;

  beforeAll(async () => {
    database = await createCliDatabase();
    await database.use((db) => db.session((session) => session.exec(COMPLIANT_SCHEMA)));
  });
  afterAll(async () => {
    await database.destroy();
  });
  beforeEach(() => {
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('says in one line that citus is absent, exits 1 and changes nothing', async () => {
    const before = await database.use(schemaSnapshot);
    const { printed, error } = await runCli(database, 'distribute');
    expect(error).toBeInstanceOf(TenantryError);
    expect(error).toHaveProperty('message', ABSENT);
    expect(printed).toEqual([]);
    expect(await database.use(schemaSnapshot)).toEqual(before);
  });

  it('prints the readiness result and the exact script on --dry-run, without Citus', async () => {
    const { printed, error } = await runCli(database, 'distribute', '--dry-run');
    expect(error).toBeNull();
    expect(process.exitCode).toBeUndefined();
    expect(printed[0]).toMatch(/^Citus readiness passed: \d+ checks, no findings\.$/);
    expect(printed.slice(1)).toEqual([
      '',
      '-- the citus extension is not installed here: this is the plan for a database that has it',
      '-- 1 reference table(s), then 5 distributed table(s), in one transaction',
      'begin;',
      "set local citus.multi_shard_modify_mode to 'sequential';",
      'set local citus.enable_unsafe_triggers to on;',
      matching(/^alter database .* set citus\.enable_unsafe_triggers to on;$/),
      matching(/^alter database .* set citus\.allow_modifications_from_workers_to_replicated_tables to off;$/),
      'select app.prepare_functions_for_citus();',
      // Keys between the tables it distributes go first, and come back after the last one.
      ...DISTRIBUTED_KEYS.map(([table, key]) => `alter table public.${table} drop constraint "${key}";`),
      'alter table public.users disable trigger user;',
      "select create_reference_table('public.users');  -- users: platform table (no organization_id)",
      'alter table public.organizations disable trigger user;',
      "select create_distributed_table('public.organizations', 'id');  -- organizations: tenant root, distributed by its own id",
      ...COMPLIANT_PLAN.slice(2).flatMap((statement) => {
        const table = /'public\.(\w+)'/.exec(statement)?.[1] ?? '';
        return [`alter table public.${table} disable trigger user;`, `${statement};  -- ${table}: tenant table`];
      }),
      ...PLANNED_TABLES.map((table) => `alter table public.${table} enable trigger user;`),
      ...DISTRIBUTED_KEYS.map(([table, key]) => matching(new RegExp(`^alter table public\\.${table} add constraint "${key}" FOREIGN KEY `))),
      ...PLANNED_TABLES.map((table) => `select truncate_local_data_after_distributing_table('public.${table}');`),
      'commit;',
    ]);
  });

  it('on --dry-run names the findings distribute would refuse on, and exits 1', async () => {
    await database.use((db) => db.query('create table widgets (organization_id uuid not null, id uuid primary key)'));
    try {
      const { printed, error } = await runCli(database, 'distribute', '--dry-run');
      expect(error).toBeNull();
      expect(process.exitCode).toBe(1);
      expect(printed[0]).toMatch(/^Citus readiness failed: 1 finding\(s\) in \d+ checks\.$/);
      expect(printed[1]).toBe('  [citus-primary-key] widgets: primary key widgets_pkey (id) does not include organization_id');
      expect(printed.at(-1)).toBe('-- distribute would refuse: fix the 1 finding(s) above first');
    } finally {
      await database.use((db) => db.query('drop table widgets'));
    }
  });

  it('with Citus present and a finding, prints it and refuses', async () => {
    await database.use((db) =>
      db.session((session) => session.exec(`${FAKE_CITUS}; create table widgets (organization_id uuid not null, id uuid primary key);`)),
    );
    try {
      const { printed, error } = await runCli(database, 'distribute');
      expect(error).toHaveProperty('message', 'refusing to distribute: 1 Citus readiness finding(s); nothing was changed');
      expect(printed).toContain('  [citus-primary-key] widgets: primary key widgets_pkey (id) does not include organization_id');
      expect(await database.use((db) => db.query('select * from fake_citus.calls'))).toEqual([]);
    } finally {
      await database.use((db) => db.session((session) => session.exec(`${REMOVE_FAKE_CITUS}; drop table widgets;`)));
    }
  });

  it('db validate --citus adds the readiness report, in text and in JSON', async () => {
    const text = await runCli(database, 'validate', '--citus');
    expect(text.printed.at(-1)).toMatch(/^Citus readiness passed: \d+ checks, no findings\.$/);
    const json = await runCli(database, 'validate', '--citus', '--json');
    expect(JSON.parse(json.printed.join('\n'))).toMatchObject({ citus: { ok: true, findings: [], notes: [] } });
    const plain = await runCli(database, 'validate', '--json');
    expect(JSON.parse(plain.printed.join('\n'))).not.toHaveProperty('citus');
  });
});
