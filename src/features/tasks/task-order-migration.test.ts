import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.js';
import { migrate } from '../../db/migrator/runner.js';

/** Migration 0010 on a database that already holds tasks: positions in number order, due days kept. */
describe('migration 0010 (task order) on existing tasks', async () => {
  const test = await createTestDatabase();
  afterAll(async () => {
    await test.destroy();
  });

  it('orders every project by task number and keeps each due date as its UTC day', async () => {
    await migrate(test.db, { to: '0008' });
    const org = crypto.randomUUID();
    const [p1, p2] = [crypto.randomUUID(), crypto.randomUUID()];
    await test.db.query(`insert into organizations (id, name, slug) values ($1, 'Old', $2)`, [org, `old-${org.slice(0, 8)}`]);
    await test.db.query(`insert into projects (organization_id, id, name, key) values ($1, $2, 'One', 'ONE'), ($1, $3, 'Two', 'TWO')`, [org, p1, p2]);
    // Ids deliberately against the numbers, and 70 tasks so the keys grow a digit (az → b00).
    await test.db.query(
      `insert into tasks (organization_id, id, project_id, number, title, due_date, updated_at)
       select $1, gen_random_uuid(), $2, n, 'task ' || n,
              case when n = 1 then timestamptz '2026-12-24 23:30:00+00' end, timestamptz '2026-01-01 00:00:00+00'
         from generate_series(70, 1, -1) n`,
      [org, p1],
    );
    await test.db.query(`insert into tasks (organization_id, project_id, number, title) values ($1, $2, 1, 'only')`, [org, p2]);
    const audited = await test.db.query<{ n: number }>('select count(*)::int as n from audit_logs');

    await migrate(test.db);

    const rows = await test.db.query<{ project_id: string; number: number; position: string; due: string | null; updated: string }>(
      `select project_id::text, number, position, due_date::text as due, updated_at::text as updated
         from tasks order by project_id, position collate "C"`,
    );
    const first = rows.filter((r) => r.project_id === p1);
    expect(first.map((r) => r.number)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(first.slice(60, 64).map((r) => r.position)).toEqual(['ay', 'az', 'b00', 'b01']);
    expect(first[0]).toMatchObject({ position: 'a0', due: '2026-12-24' });
    expect(rows.find((r) => r.project_id === p2)?.position).toBe('a0');
    // Bookkeeping, not anyone's change: no audit rows, updated_at untouched.
    expect(new Set(first.map((r) => r.updated)).size).toBe(1);
    expect(await test.db.query<{ n: number }>('select count(*)::int as n from audit_logs')).toEqual(audited);
  });
});
