/**
 * The demo's sprint charts have a past: the seed backdates task_sprint_states, so the completed
 * sprint burns down over its two weeks and the project has a velocity (issue 12's charts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../crypto/envelope.js';
import { withTenant } from '../db/tenant-context.js';
import { burndownDays, velocity } from '../features/sprint-reports/repository.js';
import { useMigratedTestDatabase } from '../../test/support/migrated-database.js';
import { seedDemo } from './demo.js';
import { seedId } from './ids.js';

/** Dates are relative to the run: pinned, so the expected days are fixed. */
const NOW = new Date('2026-03-20T12:00:00Z');
const acme = seedId('organization', 'acme');
const sprint = (index: number) => seedId('acme', 'sprint', 'ACME', index);

describe('demo sprint history', () => {
  const test = useMigratedTestDatabase();

  beforeAll(async () => {
    await seedDemo(test.db, { production: false, masterKey: generateMasterKey(), now: NOW });
  });

  const inAcme = <T>(work: Parameters<typeof withTenant<T>>[2]) => withTenant(test.db, { organizationId: acme }, work);

  it("burns the completed sprint down over its two weeks: committed at the start, most of it done by the end", async () => {
    const days = await inAcme((tx) => burndownDays(tx, acme, sprint(0), '2026-02-27', '2026-03-12'));
    expect(days).toHaveLength(14);
    const [first, last] = [days[0]!, days.at(-1)!];
    expect(first).toMatchObject({ date: '2026-02-27', scope: 18, completed: 0 });
    expect(last).toMatchObject({ date: '2026-03-12', scope: 11, completed: 11 });
    // Done on spread days, not all at once; a task joined and one left mid-sprint.
    expect(new Set(days.map((day) => day.completed)).size).toBeGreaterThanOrEqual(4);
    expect(days.reduce((sum, day) => sum + day.scope_added, 0)).toBe(3);
    expect(days.reduce((sum, day) => sum + day.scope_removed, 0)).toBe(10);
  });

  it('gives the project a velocity, and the active sprint some work done so far', async () => {
    const [completed] = await inAcme((tx) => velocity(tx, acme, seedId('acme', 'project', 'ACME'), 5));
    expect(completed).toMatchObject({ id: sprint(0), committed: 18, completed: 11 });

    const active = await inAcme((tx) => burndownDays(tx, acme, sprint(1), '2026-03-13', '2026-03-20'));
    expect(active[0]).toMatchObject({ scope: 24, completed: 0 });
    expect(active.at(-1)).toMatchObject({ scope: 27, completed: 6 });
  });

  it("keeps each done task's completed_at on the day its history has it done", async () => {
    const rows = await test.db.query<{ n: number }>(
      `select count(*)::int as n from tasks t
        where t.organization_id = $1 and t.status = 'done'
          and t.completed_at is distinct from (
            select min(x.valid_from) from task_sprint_states x where x.task_id = t.id and x.status = 'done')`,
      [acme],
    );
    expect(rows[0]?.n).toBe(0);
  });
});
