import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';

export type DayRow = { date: string; scope: number; completed: number; scope_added: number; scope_removed: number };
export type VelocityRow = { id: string; name: string; start_date: string | null; end_date: string | null; committed: number; completed: number };

/** Both drivers answer `execute` with `{ rows }`. */
function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

/** A task's points while it counts toward the sprint: in it, not deleted, not canceled. */
const pointsIn = (sprintId: SQL) =>
  sql`case when x.sprint_id = ${sprintId} and not x.deleted and x.status <> 'canceled' then coalesce(x.story_points, 0) else 0 end`;
/** Whether the task is done inside the sprint. */
const doneIn = (sprintId: SQL) => sql`(x.sprint_id = ${sprintId} and not x.deleted and x.status = 'done')`;

/**
 * The sprint's points at the end of each UTC day from `from` to `to`, from task_sprint_states:
 * every task that was ever in the sprint, its state at each day's end (the one span of its
 * timeline that covers that instant), summed. Scope added or removed is each task's change in
 * counted points since the day before, so a task moving in or out, or re-estimated, shows on
 * the day it happened; the first day has none (planning on the start day is the commitment).
 */
export async function burndownDays(tx: Tx, organizationId: string, sprintId: string, from: string, to: string): Promise<DayRow[]> {
  const sprint = sql`${sprintId}::uuid`;
  const result = await tx.execute(sql`
    with days as (
      select d::date as day, (d::date + 1)::timestamp at time zone 'UTC' as day_end
        from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ),
    sprint_tasks as (
      select distinct task_id from task_sprint_states
       where organization_id = ${organizationId} and sprint_id = ${sprint}
    ),
    spans as (
      select x.task_id, x.valid_from,
             lead(x.valid_from) over (partition by x.task_id order by x.valid_from, x.id) as valid_to,
             ${pointsIn(sprint)} as points,
             ${doneIn(sprint)} as done
        from task_sprint_states x
       where x.organization_id = ${organizationId}
         and x.task_id in (select task_id from sprint_tasks)
         and x.valid_from < (select max(day_end) from days)
    ),
    daily as (
      select d.day, s.points, s.done,
             s.points - lag(s.points) over (partition by s.task_id order by d.day) as change
        from days d
        join spans s on s.valid_from < d.day_end and (s.valid_to is null or s.valid_to >= d.day_end)
    )
    select to_char(d.day, 'YYYY-MM-DD') as date,
           coalesce(sum(x.points), 0)::int as scope,
           coalesce(sum(x.points) filter (where x.done), 0)::int as completed,
           coalesce(sum(greatest(coalesce(x.change, x.points), 0)) filter (where d.day > ${from}::date), 0)::int as scope_added,
           coalesce(sum(greatest(-x.change, 0)) filter (where d.day > ${from}::date), 0)::int as scope_removed
      from days d
      left join daily x on x.day = d.day
     group by d.day
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
