import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrator/runner.js';
import { type TestDatabase, createTestDatabase } from '../../../test/support/database.js';

type State = { task: string; sprint: string | null; status: string; points: number | null; deleted: boolean; at: string };

/**
 * Migration 0012 derives each task's timeline from the audit trail written before it: the
 * insert and every change of sprint, status, points or deletion, at the audit row's time; a
 * task whose insert is not in the trail starts from the state before its first change.
 */
describe('migration 0012 backfill', () => {
  let test: TestDatabase;
  const ids = { org: crypto.randomUUID(), project: crypto.randomUUID(), s1: crypto.randomUUID(), s2: crypto.randomUUID() };
  const task = { a: crypto.randomUUID(), b: crypto.randomUUID() };

  beforeAll(async () => {
    test = await createTestDatabase();
    await migrate(test.db, { to: '0011_lifecycles' });
    await test.db.session(async (session) => {
      const run = (text: string, params: unknown[] = []) => session.query(text, params);
      // Statement by statement, each its own transaction, so each audit row has its own time.
      await run(`select set_config('app.organization_id', $1, false)`, [ids.org]);
      await run(`insert into organizations (id, name, slug) values ($1, 'Backfill', $2)`, [ids.org, `backfill-${ids.org}`]);
      await run(`insert into projects (organization_id, id, name, key) values ($1, $2, 'P', 'BKF')`, [ids.org, ids.project]);
      await run(`insert into sprints (organization_id, id, project_id, name) values ($1, $2, $3, 'S1'), ($1, $4, $3, 'S2')`, [ids.org, ids.s1, ids.project, ids.s2]);
      await run(`insert into tasks (organization_id, id, project_id, title, sprint_id, story_points) values ($1, $2, $3, 'A', $4, 3), ($1, $5, $3, 'B', null, 5)`,
        [ids.org, task.a, ids.project, ids.s1, task.b]);
      await run(`update tasks set title = 'A, renamed' where id = $1`, [task.a]);
      await run(`update tasks set story_points = 8 where id = $1`, [task.a]);
      await run(`update tasks set sprint_id = $2 where id = $1`, [task.b, ids.s2]);
      await run(`update tasks set status = 'done' where id = $1`, [task.b]);
      await run(`select set_config('app.organization_id', '', false)`);
    });
    // Each audit row to its own day, in the order written; B's insert is gone (purged, or never audited).
    await test.db.query(
      `update audit_logs a set created_at = timestamptz '2026-03-01T12:00:00Z' + o.n * interval '1 day'
         from (select id, row_number() over (order by created_at) as n
                 from audit_logs where resource_type = 'tasks') o
        where a.id = o.id`,
    );
    await test.db.query(`update tasks set created_at = '2026-02-01T00:00:00Z' where id = $1`, [task.b]);
    await test.db.query(`delete from audit_logs where resource_type = 'tasks' and resource_id = $1 and action = 'insert'`, [task.b]);
    await migrate(test.db);
  });
  afterAll(async () => {
    await test.destroy();
  });

  it('gives each task its states from the trail, at the trail’s times, leaving other changes out', async () => {
    const rows = await test.db.query<State>(
      `select case task_id when $1 then 'A' else 'B' end as task,
              case sprint_id when $2 then 'S1' when $3 then 'S2' end as sprint,
              status, story_points as points, deleted, to_char(valid_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as at
         from task_sprint_states order by task, valid_from`,
      [task.a, ids.s1, ids.s2],
    );
    const audited = await test.db.query<{ at: string; what: string }>(
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as at, resource_id || ' ' || action || ' ' || coalesce(array_to_string(changed_fields, ','), '') as what
         from audit_logs where resource_type = 'tasks' order by created_at`,
    );
    const dayOf = (...fragments: string[]) => audited.find((row) => fragments.every((f) => row.what.includes(f)))?.at;
    expect(rows).toEqual([
      { task: 'A', sprint: 'S1', status: 'todo', points: 3, deleted: false, at: `${dayOf(`${task.a} insert`)}T12:00` },
      { task: 'A', sprint: 'S1', status: 'todo', points: 8, deleted: false, at: `${dayOf('story_points')}T12:00` },
      { task: 'B', sprint: null, status: 'todo', points: 5, deleted: false, at: '2026-02-01T00:00' },
      { task: 'B', sprint: 'S2', status: 'todo', points: 5, deleted: false, at: `${dayOf(`${task.b} update`, 'sprint_id')}T12:00` },
      { task: 'B', sprint: 'S2', status: 'done', points: 5, deleted: false, at: `${dayOf(`${task.b} update`, 'status')}T12:00` },
    ]);
  });

  it('records changes made after the migration through the trigger', async () => {
    await test.db.session(async (session) => {
      await session.query('begin');
      await session.query(`select set_config('app.organization_id', $1, true)`, [ids.org]);
      await session.query(`update tasks set sprint_id = null where id = $1`, [task.a]);
      await session.query(`update tasks set description = 'not a state change' where id = $1`, [task.a]);
      await session.query('commit');
    });
    const rows = await test.db.query<{ sprint_id: string | null }>(
      `select sprint_id from task_sprint_states where task_id = $1 order by valid_from`, [task.a]);
    expect(rows.map((row) => row.sprint_id)).toEqual([ids.s1, ids.s1, null]);
  });
});
