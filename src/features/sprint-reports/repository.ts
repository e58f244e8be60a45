import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';
import { rowsOf } from '../../db/rows.js';

export type DayRow = { date: string; scope: number; completed: number; scope_added: number; scope_removed: number };
export type VelocityRow = { id: string; name: string; start_date: string | null; end_date: string | null; committed: number; completed: number };

/** Both drivers answer `execute` with `{ rows }`. */
/** A task's points while it counts toward the sprint: in it, not deleted, not canceled. */
const pointsIn = (sprintId: SQL) =>
  sql`case when x.sprint_id = ${sprintId} and not x.deleted and x.status <> 'canceled' then coalesce(x.story_points, 0) else 0 end`;
/** Whether the task is done inside the sprint. */
const doneIn = (sprintId: SQL) => sql`(x.sprint_id = ${sprintId} and not x.deleted and x.status = 'done')`;

/**
 * The sprint's points at the end of each UTC day from `from` to `to`, from task_sprint_states:
 * every task that was ever in the sprint, its state at each day's end, summed.
 *
 * A state covers the days from the one it began on to the day before the next state began (a
 * state replaced the same day covers none, and states before `from` count from `from`). Each
 * state that covers a day is a change on its first day: its points minus those of the task's
 * state the day before. The daily totals are running sums of those changes, so the work grows
 * with the number of changes, not with tasks × days. Scope added or removed is the positive
 * or negative changes of a day: a task moving in or out, or re-estimated, shows on the day it
 * happened; the first day has none (planning on the start day is the commitment).
 */
export async function burndownDays(tx: Tx, organizationId: string, sprintId: string, from: string, to: string): Promise<DayRow[]> {
  const sprint = sql`${sprintId}::uuid`;
  const result = await tx.execute(sql`
    with sprint_tasks as (
      select distinct task_id from task_sprint_states
       where organization_id = ${organizationId} and sprint_id = ${sprint}
    ),
    states as (
      select x.task_id, x.valid_from, x.id,
             greatest((x.valid_from at time zone 'UTC')::date, ${from}::date) as first_day,
             least((lead(x.valid_from) over (partition by x.task_id order by x.valid_from, x.id) at time zone 'UTC')::date - 1, ${to}::date) as last_day,
             ${pointsIn(sprint)} as points,
             case when ${doneIn(sprint)} then ${pointsIn(sprint)} else 0 end as done_points
        from task_sprint_states x
       where x.organization_id = ${organizationId}
         and x.task_id in (select task_id from sprint_tasks)
         and x.valid_from < (${to}::date + 1)::timestamp at time zone 'UTC'
    ),
    changes as (
      select first_day as day,
             points - coalesce(lag(points) over w, 0) as scope_change,
             done_points - coalesce(lag(done_points) over w, 0) as done_change
        from states
       where first_day <= last_day
      window w as (partition by task_id order by valid_from, id)
    ),
    per_day as (
      select day, sum(scope_change) as scope_change, sum(done_change) as done_change,
             sum(greatest(scope_change, 0)) filter (where day > ${from}::date) as added,
             sum(greatest(-scope_change, 0)) filter (where day > ${from}::date) as removed
        from changes
       group by day
    )
    select to_char(d.day, 'YYYY-MM-DD') as date,
           (sum(coalesce(c.scope_change, 0)) over (order by d.day))::int as scope,
           (sum(coalesce(c.done_change, 0)) over (order by d.day))::int as completed,
           coalesce(c.added, 0)::int as scope_added,
           coalesce(c.removed, 0)::int as scope_removed
      from generate_series(${from}::date, ${to}::date, interval '1 day') as d(day)
      left join per_day c on c.day = d.day
     order by d.day`);
  return rowsOf<DayRow>(result);
}

/**
 * The project's last `limit` completed sprints, newest first, each with its points at the end
 * of its first day (committed, as in the burndown) and its done points when it completed.
 */
export async function velocity(tx: Tx, organizationId: string, projectId: string, limit: number): Promise<VelocityRow[]> {
  const pointsAt = (moment: SQL, counted: SQL) => sql`(
    select coalesce(sum(coalesce(x.story_points, 0)) filter (where ${counted}), 0)::int
      from (select distinct task_id from task_sprint_states
             where organization_id = ${organizationId} and sprint_id = s.id) t
      cross join lateral (
        select * from task_sprint_states x
         where x.organization_id = ${organizationId} and x.task_id = t.task_id and x.valid_from <= ${moment}
         order by x.valid_from desc, x.id desc
         limit 1
      ) x)`;
  const sprintId = sql`s.id`;
  const firstDayEnd = sql`coalesce((s.start_date + 1)::timestamp at time zone 'UTC', s.created_at)`;
  const result = await tx.execute(sql`
    select s.id, s.name, to_char(s.start_date, 'YYYY-MM-DD') as start_date, to_char(s.end_date, 'YYYY-MM-DD') as end_date,
           ${pointsAt(firstDayEnd, sql`x.sprint_id = ${sprintId} and not x.deleted and x.status <> 'canceled'`)} as committed,
           ${pointsAt(sql`s.completed_at`, doneIn(sprintId))} as completed
      from sprints s
     where s.organization_id = ${organizationId} and s.project_id = ${projectId} and s.status = 'completed'
     order by s.completed_at desc, s.id desc
     limit ${limit}`);
  return rowsOf<VelocityRow>(result);
}
