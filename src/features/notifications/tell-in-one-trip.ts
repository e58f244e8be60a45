import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { NotificationType } from '../../db/schema/index.js';
import { insertAndNotifySql, oneLiveEventJson } from '../live-events/repository.js';
import { projectAccessSql } from '../shared/project-access.js';
import { DIGEST_DELAY_MS, DIGEST_JOB_KIND } from './digest.js';

/*
 * Telling people, by the rules, as one statement: the only place these rules are written. The
 * ordinary path runs it with values (service.ts, `tell`), a one-trip write puts it in its
 * pipeline with placeholders (tasks/update-in-one-trip.ts), so both write the same rows.
 *
 * @example A comment's watchers, in a pipeline (values bound later by name):
 * plainStatement(tellSql(
 *   { organizationId: sql.placeholder('organizationId'), type: 'commented', actorId: sql.placeholder('userId'),
 *     projectId: sql`(select …)`, taskId: sql.placeholder('taskId'), commentId: sql.placeholder('commentId') },
 *   watchersOf(sql.placeholder('organizationId'), sql.placeholder('taskId'), sql.placeholder('mentioned')),
 *   sql.placeholder('eventId')))
 */

/** A value of the statement: a parameter, a placeholder bound later, or SQL such as a subquery. */
export type TellValue = string | null | Placeholder | SQL;

/** What the notifications are about; ids not given are null. The type is fixed in the statement's text. */
export type TellSubject = {
  organizationId: TellValue;
  type: NotificationType;
  actorId: TellValue;
  projectId?: TellValue;
  taskId?: TellValue;
  commentId?: TellValue;
  sprintId?: TellValue;
  invitationId?: TellValue;
};

/** Members of the organization among `userIds` (a uuid[]: an array parameter, or `{a,b}` text). */
export function membersAmong(organizationId: TellValue, userIds: TellValue | string[]): SQL {
  const ids = Array.isArray(userIds) ? `{${userIds.join(',')}}` : userIds;
  return sql`select m.user_id from members m where m.organization_id = ${organizationId}::uuid and m.user_id = any(${ids}::uuid[])`;
}

/**
 * Members of the organization whose username, or the part of their email before the @, is one
 * of `handles` (a text[] of lower-case handles, `mentionedHandles`): who a mention names.
 */
export function membersByHandleSql(organizationId: TellValue, handles: TellValue): SQL {
  return sql`select m.user_id from members m join users u on u.id = m.user_id
              where m.organization_id = ${organizationId}::uuid
                and (lower(u.username) = any(${handles}::text[]) or lower(split_part(u.email, '@', 1)) = any(${handles}::text[]))`;
}

/**
 * `mentionedHandles`' rule in SQL for a text of ASCII characters only (the caller refuses the
 * others, see `unsureOfMentions`): an @ not after a letter, digit, `.`, `_` or `-`, then up to 64
 * of those, trailing dots dropped, lower case, none left empty. Answers a query of handles.
 * PostgreSQL has no \p{L} or \p{N}, and its [[:alpha:]] depends on the database's locale, so
 * a text beyond ASCII goes the ordinary way instead.
 */
export function mentionedHandlesSql(text: SQL): SQL {
  return sql`select distinct h from (select lower(regexp_replace(m[1], '[.]+$', '')) from regexp_matches(coalesce(${text}, ''), '(?<![A-Za-z0-9._-])@([A-Za-z0-9._-]{1,64})', 'g') as m) as found(h) where h <> ''`;
}

/** Whether `mentionedHandlesSql` cannot be sure of `text`'s mentions: an @ in a text beyond ASCII. */
export function unsureOfMentions(text: SQL): SQL {
  return sql`(octet_length(${text}) <> char_length(${text}) and strpos(${text}, '@') > 0)`;
}

/** The people watching a task, but those in `except` (a uuid[], or null for nobody). */
export function watchersOf(organizationId: TellValue, taskId: TellValue, except: TellValue | string[] = null): SQL {
  const others = Array.isArray(except) ? `{${except.join(',')}}` : except;
  return sql`select w.user_id from task_watchers w
              where w.organization_id = ${organizationId}::uuid and w.task_id = ${taskId}::uuid and w.watching
                and not (w.user_id = any(coalesce(${others}::uuid[], '{}')))`;
}

/** A sprint's people: the project's members and everyone with a live task in the sprint. */
export function sprintPeople(organizationId: TellValue, projectId: TellValue, sprintId: TellValue): SQL {
  return sql`select pm.user_id from project_members pm
              where pm.organization_id = ${organizationId}::uuid and pm.project_id = ${projectId}::uuid
             union
             select t.assignee_id from tasks t
              where t.organization_id = ${organizationId}::uuid and t.sprint_id = ${sprintId}::uuid
                and t.assignee_id is not null and t.deleted_at is null`;
}

/**
 * Whether the recipient `r.user_id` may read the project: `requireProjectAccess`' rule, with
 * their own organization role, for someone other than the acting user.
 */
function recipientMayRead(organizationId: SQL, projectId: SQL): SQL {
  const role = sql`(select m.role from members m where m.organization_id = ${organizationId} and m.user_id = r.user_id)`;
  return projectAccessSql({ organizationId, projectId, userId: sql`r.user_id` }, role, 'read');
}

/**
 * One statement that tells `recipients` (a query answering `user_id`) of `subject`:
 *
 * - a notification per recipient, skipping the actor, whoever turned this type off and, when
 *   there is a project, whoever may not read it (a private project they are not on);
 *   `email_pending` for those who chose email;
 * - a `notifications.digest` job, DIGEST_DELAY_MS ahead, for each of them with no older
 *   notification waiting for email (the statement's snapshot holds only older rows: that one
 *   already has a digest on its way);
 * - when anyone was told, one `notifications.created` live event (`eventId`, naming the task,
 *   sprint, invitation or project, the first given), inserted and NOTIFYed.
 *
 * Set-based: a thousand watchers are one statement. Conditions ("only when the status changed")
 * go into `recipients`: no recipient, nothing written.
 */
export function tellSql(subject: TellSubject, recipients: SQL, eventId: TellValue): SQL {
  const organizationId = sql`${subject.organizationId}::uuid`;
  const actorId = sql`${subject.actorId}::uuid`;
  const idOf = (value: TellValue | undefined) => sql`${value ?? null}::uuid`;
  const projectId = idOf(subject.projectId);
  const about = sql`coalesce(${idOf(subject.taskId)}, ${idOf(subject.sprintId)}, ${idOf(subject.invitationId)}, ${projectId})`;
  const told = sql`
    told as (
      insert into notifications (organization_id, user_id, type, actor_id, project_id, task_id, comment_id, sprint_id, invitation_id, email_pending)
      select ${organizationId}, r.user_id, ${subject.type}, ${actorId}, ${projectId}, ${idOf(subject.taskId)},
             ${idOf(subject.commentId)}, ${idOf(subject.sprintId)}, ${idOf(subject.invitationId)}, coalesce(p.channel, 'in_app') = 'email'
        from (${recipients}) as r(user_id)
        left join notification_preferences p
          on p.organization_id = ${organizationId} and p.user_id = r.user_id and p.type = ${subject.type}
       where r.user_id is distinct from ${actorId}
         and coalesce(p.channel, 'in_app') <> 'off'
         and (${projectId} is null or ${recipientMayRead(organizationId, projectId)})
      returning user_id, email_pending
    ),
    digests as (
      insert into jobs (id, kind, payload, run_at)
      select gen_random_uuid(), ${DIGEST_JOB_KIND}, jsonb_build_object('organizationId', ${organizationId}, 'userId', told.user_id),
             now() + ${DIGEST_DELAY_MS}::int * interval '1 millisecond'
        from told
       where told.email_pending and not exists (
         select from notifications o where o.organization_id = ${organizationId} and o.user_id = told.user_id and o.email_pending)
    )`;
  const event = sql`(select ${oneLiveEventJson(eventId, 'notifications.created', projectId, about)}
                      where exists (select from told) and ${about} is not null)`;
  return insertAndNotifySql(organizationId, event, told);
}
