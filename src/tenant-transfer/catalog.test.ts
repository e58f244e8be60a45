import { describe, expect, it } from 'vitest';
import { type ForeignKey, type TableShape, dependencyOrder, planTransfer } from './catalog.js';

function shape(name: string, options: { tenant?: boolean; primaryKey?: string[]; references?: [string[], string, string[]][] } = {}): TableShape {
  const primaryKey = options.primaryKey ?? (options.tenant ? ['organization_id', 'id'] : ['id']);
  const foreignKeys: ForeignKey[] = (options.references ?? []).map(([columns, refTable, refColumns]) => ({
    name: `${name}_${columns.join('_')}_fkey`,
    table: name,
    columns,
    refTable,
    refColumns,
    matchFull: false,
  }));
  const columnNames = [...new Set([...primaryKey, ...foreignKeys.flatMap((fk) => fk.columns)])];
  return {
    name,
    columns: columnNames.map((column) => ({ name: column, notNull: true, json: false, collatable: false, identityAlways: false })),
    primaryKey,
    uniqueKeys: [],
    foreignKeys,
    hasOrganizationId: options.tenant ?? false,
  };
}

const org: [string[], string, string[]] = [['organization_id'], 'organizations', ['id']];

const schema = (): TableShape[] => [
  shape('users'),
  shape('user_profiles', { primaryKey: ['user_id'], references: [[['user_id'], 'users', ['id']]] }),
  shape('accounts', { references: [[['user_id'], 'users', ['id']]] }),
  shape('plans'),
  shape('organizations', { references: [[['owner_id'], 'users', ['id']]] }),
  shape('members', { tenant: true, references: [org, [['user_id'], 'users', ['id']]] }),
  shape('subscriptions', { tenant: true, references: [org, [['plan_id'], 'plans', ['id']]] }),
  shape('projects', { tenant: true, references: [org, [['organization_id', 'owner_id'], 'members', ['organization_id', 'user_id']]] }),
  shape('tasks', { tenant: true, references: [org, [['organization_id', 'project_id'], 'projects', ['organization_id', 'id']], [['organization_id', 'parent_id'], 'tasks', ['organization_id', 'id']]] }),
  shape('audit_logs', { tenant: true }),
];

describe('planTransfer', () => {
  it('takes every tenant table, the platform rows they reference and the profile companion, parents first', () => {
    const plan = planTransfer(schema());
    expect(plan.tables.map((t) => `${t.kind}:${t.name}`)).toEqual([
      'platform:plans',
      'platform:users',
      'platform:user_profiles',
      'tenant:organizations',
      'tenant:audit_logs',
      'tenant:members',
      'tenant:projects',
      'tenant:subscriptions',
      'tenant:tasks',
    ]);
  });

  it('includes a new tenant table without being told', () => {
    const plan = planTransfer([...schema(), shape('sprints', { tenant: true, references: [org] })]);
    expect(plan.tables.map((t) => t.name)).toContain('sprints');
  });

  it('selects tenant rows by organization and platform rows by what selected rows reference', () => {
    const plan = planTransfer(schema());
    const where = (name: string) => plan.tables.find((t) => t.name === name)?.where('t');
    expect(where('organizations')).toBe('t."id" = $1');
    expect(where('tasks')).toBe('t."organization_id" = $1');
    expect(where('plans')).toBe('(t."id" in (select s1."plan_id" from public."subscriptions" s1 where s1."organization_id" = $1))');
    expect(where('users')).toContain('select s1."user_id" from public."members" s1 where s1."organization_id" = $1');
    expect(where('users')).toContain('select s1."owner_id" from public."organizations" s1 where s1."id" = $1');
    expect(where('users')).not.toContain('user_profiles');
    expect(where('user_profiles')).toMatch(/^t\."user_id" in \(select s1\."id" from public\."users" s1 where/);
  });

  it('refuses a tenant table that references a credentials table', () => {
    const tables = [...schema(), shape('notes', { tenant: true, references: [org, [['session_id'], 'sessions', ['id']]] }), shape('sessions')];
    expect(() => planTransfer(tables)).toThrow(/notes\.session_id references sessions, which holds credentials/);
  });
});

describe('dependencyOrder', () => {
  it('is stable, ignores self-references, and still places every table of a cycle', () => {
    const tables = [
      shape('b', { references: [[['a_id'], 'a', ['id']]] }),
      shape('a', { references: [[['parent_id'], 'a', ['id']]] }),
      shape('x', { references: [[['y_id'], 'y', ['id']]] }),
      shape('y', { references: [[['x_id'], 'x', ['id']]] }),
    ];
    expect(dependencyOrder(tables, () => 0).map((t) => t.name)).toEqual(['a', 'b', 'x', 'y']);
  });
});
