import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.js';
import { migrate, rollback } from '../../db/migrator/runner.js';

/** Migration 0013 on files the web app tied to tasks by name (`[ACME-7] report.pdf`). */
describe('migration 0013 (task attachments) on existing files', async () => {
  const test = await createTestDatabase();
  afterAll(async () => {
    await test.destroy();
  });

  it('moves a `[KEY-N] ` prefix naming a task of the project into task_id, leaves other names alone, and rolls back', async () => {
    await migrate(test.db, { to: '0012' });
    const org = crypto.randomUUID();
    const [p1, p2, t1, t2] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await test.db.query(`insert into organizations (id, name, slug) values ($1, 'Old', $2)`, [org, `old-${org.slice(0, 8)}`]);
    await test.db.query(`insert into projects (organization_id, id, name, key) values ($1, $2, 'One', 'ONE'), ($1, $3, 'Two', 'TWO')`, [org, p1, p2]);
    await test.db.query(`insert into tasks (organization_id, id, project_id, number, title) values ($1, $2, $3, 7, 'seven'), ($1, $4, $5, 1, 'other')`, [
      org, t1, p1, t2, p2,
    ]);
    const names = ['[ONE-7] report.pdf', '[one-7] lower.txt', '[TWO-1] wrong project.txt', '[ONE-8] no such task.txt', 'plain.txt', '[ONE-7]'];
    for (const [i, name] of names.entries()) {
      await test.db.query(
        `insert into project_assets (organization_id, project_id, file_name, content_type, size_bytes, checksum_sha256, storage_key)
         values ($1, $2, $3, 'text/plain', 1, repeat('0', 64), $4)`,
        [org, p1, name, `${org}/${i}`],
      );
    }
    const audited = await test.db.query('select count(*)::int as n from audit_logs');
    const files = () =>
      test.db.query<{ file_name: string; task_id: string | null }>(`select file_name, task_id::text from project_assets order by storage_key`);

    await migrate(test.db, { to: '0013' });
    expect(await files()).toEqual([
      { file_name: 'report.pdf', task_id: t1 },
      { file_name: 'lower.txt', task_id: t1 },
      { file_name: '[TWO-1] wrong project.txt', task_id: null },
      { file_name: '[ONE-8] no such task.txt', task_id: null },
      { file_name: 'plain.txt', task_id: null },
      { file_name: '[ONE-7]', task_id: null },
    ]);
    expect(await test.db.query('select count(*)::int as n from audit_logs')).toEqual(audited);

    await rollback(test.db, { to: '0012' });
    expect((await test.db.query<{ file_name: string }>('select file_name from project_assets order by storage_key')).map((r) => r.file_name)).toEqual([
      '[ONE-7] report.pdf',
      '[ONE-7] lower.txt',
      ...names.slice(2),
    ]);
  });
});
