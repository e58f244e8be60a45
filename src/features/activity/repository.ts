import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';
import type { AuditCursor } from '../audit-logs/cursor.js';
import type { AuditEntryRow } from './describe.js';

/** Every table whose rows a project's activity shows (app.project_activity_ids picks them). */
export type ActivityTable = 'projects' | 'tasks' | 'sprints' | 'epics' | 'documents' | 'project_members' | 'project_assets' | 'comments';

export type ActivityRow = AuditEntryRow & {
  resourceType: ActivityTable;
  resourceId: string;
  /** The task the row is or belongs to (tasks, comments, attached files), when it still exists. */
  taskNumber: number | null;
  taskTitle: string | null;
  /** The person a project_members row names, while they are a member. */
  memberName: string | null;
};

/**
 * One page (plus one row) of the audit entries of one project's rows, newest first: the
 * project's own row, the rows of its tables, and the comments on its tasks. Which entries those
 * are is found by app.project_activity_ids (migration 0019), which can use the trail's
 * expression indexes where RLS would not let this query use them; the entries themselves are
 * read here, under RLS.
 */
export async function listProjectActivity(
  tx: Tx,
  organizationId: string,
  projectId: string,
  page: { after: AuditCursor | null; limit: number },
  /** Below this many tasks the comments are found task by task; only the tests change it, to take both ways. */
  perTaskLookupBelow = 2_000,
): Promise<ActivityRow[]> {
  const limit = page.limit + 1;
  // The join keys are computed here, as plain columns: under RLS a join on an expression that
  // reads jsonb (`->>` is not LEAKPROOF) could not use the tasks' or users' index, and read
  // every task of the organization instead.
  const result = await tx.execute(sql`
    with entries as materialized (
      select a.id, a.resource_type, a.resource_id, a.action, a.changed_fields, a.old_values, a.new_values, a.created_at, a.actor_user_id,
             case when a.resource_type = 'tasks' then a.resource_id
                  when a.resource_type in ('comments', 'project_assets') then (coalesce(a.new_values, a.old_values) ->> 'task_id')::uuid
             end as task_id,
             case when a.resource_type = 'project_members' then (coalesce(a.new_values, a.old_values) ->> 'user_id')::uuid end as member_id
        from audit_logs a
       where a.organization_id = ${organizationId}
         and a.id = any(array(select app.project_activity_ids(
               ${projectId}, ${page.after?.at ?? null}::timestamptz, ${page.after?.id ?? null}::uuid, ${limit}, ${perTaskLookupBelow})))
       order by a.created_at desc, a.id desc
       limit ${limit}
    )
    select e.id, e.resource_type as "resourceType", e.resource_id as "resourceId", e.action,
           e.changed_fields as "changedFields", e.old_values as "oldValues", e.new_values as "newValues",
           e.created_at as "createdAt",
           to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position,
           actor.id as "actorId", actor.name as "actorName", actor.image as "actorImage",
           t.number as "taskNumber", t.title as "taskTitle", member.name as "memberName"
      from entries e
      -- The users policy lets a member see only the people of their own organizations.
      left join users actor on actor.id = e.actor_user_id
      left join tasks t on t.organization_id = ${organizationId} and t.id = e.task_id
      left join users member on member.id = e.member_id
     order by e.created_at desc, e.id desc`);
  return (result as { rows: RawActivityRow[] }).rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

type RawActivityRow = Omit<ActivityRow, 'createdAt'> & { createdAt: string | Date };
