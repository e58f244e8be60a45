import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../test/support/database.js';
import { migrate } from '../db/migrator/runner.js';
import { TenantryError } from '../errors.js';
import { displayName } from '../validate/catalog.js';
import { type CitusCatalog, type CitusTable, loadCitusCatalog } from './catalog.js';
import { type DistributionStep, planDistribution } from './plan.js';
import { placeTables } from './placement.js';
import { COMPLIANT_PLAN, COMPLIANT_SCHEMA } from './test-fixtures.js';

async function planFor(test: TestDatabase): Promise<{ catalog: CitusCatalog; steps: DistributionStep[] }> {
  const catalog = await test.db.session(loadCitusCatalog);
  return { catalog, steps: planDistribution(catalog, placeTables(catalog)) };
}

describe('the distribution plan of the migrated schema', () => {
  let test: TestDatabase;
  let catalog: CitusCatalog;
  let steps: DistributionStep[];

  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db);
    ({ catalog, steps } = await planFor(test));
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('converts every table but the migration history, each once', () => {
    const planned = steps.map((s) => s.table);
    expect(new Set(planned).size).toBe(planned.length);
    expect(planned.sort()).toEqual(
      catalog.tables.map((t) => displayName(t)).filter((name) => name !== 'tenantry_migrations').sort(),
    );
  });

  it('makes every reference table before any distributed one', () => {
    const kinds = steps.map((s) => s.kind);
    expect(kinds.lastIndexOf('reference')).toBeLessThan(kinds.indexOf('distributed'));
    expect(steps.filter((s) => s.kind === 'reference').map((s) => s.table).sort()).toEqual([
      'accounts', 'auth_events', 'auth_request_limits', 'billing_events', 'features', 'jobs', 'organization_slugs', 'plan_features', 'public_templates', 'sessions', 'sign_in_failures',
      'subscription_plans', 'user_profiles', 'users', 'verifications',
    ]);
  });

  it('puts every referenced table before the tables that reference it', () => {
    const position = new Map(steps.map((s, i) => [s.table, i]));
    const edges = catalog.foreignKeys.filter((fk) => fk.childOid !== fk.parentOid);
    expect(edges.length).toBeGreaterThan(50);
    for (const fk of edges) {
      const parent = position.get(displayName(fk.parent));
      const child = position.get(displayName(fk.child));
      expect(parent, `${fk.name}: ${displayName(fk.parent)} is planned`).toBeDefined();
      expect(parent, `${fk.name}: ${displayName(fk.parent)} before ${displayName(fk.child)}`).toBeLessThan(child ?? -1);
    }
  });

  it('distributes organizations by id first, and every tenant table by organization_id co-located with it', () => {
    const distributed = steps.filter((s) => s.kind === 'distributed');
    expect(distributed[0]?.statement).toBe("select create_distributed_table('public.organizations', 'id')");
    for (const step of distributed.slice(1)) {
      expect(step.statement).toBe(
        `select create_distributed_table('public.${step.table}', 'organization_id', colocate_with => 'public.organizations')`,
      );
    }
  });
});

describe('the distribution plan of a small compliant schema', () => {
  let test: TestDatabase;
  const exec = (script: string) => test.db.session((session) => session.exec(script));

  beforeAll(async () => {
    test = await createTestDatabase();
    await exec(COMPLIANT_SCHEMA);
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('distributes organizations by id first and co-locates every tenant table with it', async () => {
    const { steps } = await planFor(test);
    expect(steps.map((s) => s.statement)).toEqual(COMPLIANT_PLAN);
  });

  it('makes organizations a reference table once a reference table references it', async () => {
    await exec('create table sessions (id uuid primary key, active_organization_id uuid references organizations (id) on delete set null)');
    try {
      const { steps } = await planFor(test);
      expect(steps.map((s) => s.statement)).toEqual([
        "select create_reference_table('public.users')",
        "select create_reference_table('public.organizations')",
        "select create_reference_table('public.sessions')",
        "select create_distributed_table('public.members', 'organization_id')",
        "select create_distributed_table('public.projects', 'organization_id', colocate_with => 'public.members')",
        "select create_distributed_table('public.audit_logs', 'organization_id', colocate_with => 'public.members')",
        "select create_distributed_table('public.tasks', 'organization_id', colocate_with => 'public.members')",
      ]);
    } finally {
      await exec('drop table sessions');
    }
  });

  it('leaves out the tables Citus already manages, still co-locating with the first', async () => {
    const catalog = await test.db.session(loadCitusCatalog);
    const done = new Set(catalog.tables.filter((t) => ['users', 'organizations'].includes(t.name)).map((t) => t.oid));
    expect(planDistribution(catalog, placeTables(catalog), done).map((s) => s.statement)).toEqual(COMPLIANT_PLAN.slice(2));
  });

  it('refuses a cycle of foreign keys, which no order can satisfy', async () => {
    await exec(`
      create table eggs (organization_id uuid not null, id uuid not null, hen_id uuid, primary key (organization_id, id));
      create table hens (organization_id uuid not null, id uuid not null, egg_id uuid, primary key (organization_id, id),
                         foreign key (organization_id, egg_id) references eggs (organization_id, id));
      alter table eggs add foreign key (organization_id, hen_id) references hens (organization_id, id);`);
    try {
      const failure = await planFor(test).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TenantryError);
      expect(failure).toHaveProperty('message', expect.stringMatching(/^foreign keys form a cycle among eggs, hens;/));
    } finally {
      await exec('drop table eggs, hens cascade');
    }
  });
});

describe('the distribution plan, from a catalog built by hand', () => {
  const table = (oid: string, name: string): CitusTable => ({
    oid,
    schema: 'public',
    name,
    sqlName: `public.${name}`,
    organizationId: name === 'organizations' ? 'absent' : 'not null',
    estimatedRows: 0,
    totalBytes: 0,
  });
  const pairedKey = (name: string, childOid: string, child: string, parentOid: string, parent: string) => ({
    name,
    childOid,
    parentOid,
    child: { schema: 'public', name: child },
    parent: { schema: 'public', name: parent },
    columns: [{ child: 'organization_id', parent: 'organization_id' }, { child: `${parent}_id`, parent: 'id' }],
    onDelete: 'c' as const,
    onUpdate: 'a' as const,
    deleteSetColumns: [],
    definition: '',
    childSqlName: '',
  });

  it('anchors co-location on a distributed tenant root even when another table is referenced more', () => {
    const catalog: CitusCatalog = {
      tables: [table('1', 'organizations'), table('2', 'folders'), table('3', 'files'), table('4', 'links')],
      keys: [],
      foreignKeys: [pairedKey('files_folder_fkey', '3', 'files', '2', 'folders'), pairedKey('links_folder_fkey', '4', 'links', '2', 'folders')],
      shard: { policies: [], functions: [], triggeredTables: [], citusTables: null, unsafeTriggers: null },
    };
    expect(planDistribution(catalog, placeTables(catalog)).map((s) => s.statement)).toEqual([
      "select create_distributed_table('public.organizations', 'id')",
      "select create_distributed_table('public.folders', 'organization_id', colocate_with => 'public.organizations')",
      "select create_distributed_table('public.files', 'organization_id', colocate_with => 'public.organizations')",
      "select create_distributed_table('public.links', 'organization_id', colocate_with => 'public.organizations')",
    ]);
  });
});
