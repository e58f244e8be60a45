import { type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult } from '../../db/pipeline.js';
import { tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { insertAndNotifySql, oneLiveEventJson } from '../live-events/repository.js';
import { watchPairsStatement } from '../notifications/repository.js';
import { mentionedHandles } from '../notifications/service.js';
import { membersByHandleSql, tellSql, watchersOf } from '../notifications/tell-in-one-trip.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { taskLookup } from '../tasks/lookup.js';
import { FROM_NAMED_TASK_REF, NAMED_TASK, type NamedTaskValues, namedTaskValues, namingStatements, refuseUnlessWriter, runInOneTrip } from '../tasks/one-trip-write.js';
import { recordEventsFromSql, whenSubscribed } from '../webhooks/repository.js';
import { webhookBodySql } from '../webhooks/service.js';
import * as repository from './repository.js';
import type { CreateCommentInput } from './schemas.js';

/*
 * A comment create in one database round trip: the tenant context, the check, the insert (its
 * audit row from the trigger), the author's watch, the `mentioned` notification to the members
 * the body names and the `commented` one to the task's other watchers (tell-in-one-trip.ts, the
 * rules the ordinary path runs), the comment read for the answer recording its webhook event,
 * and the live event go out as one pipeline, one transaction. The handles are parsed here
 * (`mentionedHandles`) and bound as a text[]; the members they name are found in SQL. The check raises when it fails (tasks/one-trip-write.ts), and the ordinary create
 * then answers why.
 */

const value = sql.placeholder;

type Named = { organizationId: string } & NamedTaskValues;
type Values = Named & { userId: string };

/** The comment read for the answer, its `comment.created` event recorded in the same statement. */
const commentRecorded = repository.findCommentAroundStatement<{ organizationId: string; id: string; occurredAt: string }>(
  (json) => whenSubscribed(webhookBodySql('comment.created', value('organizationId'), value('occurredAt'), json)),
  (read) => recordEventsFromSql(value('organizationId'), 'comment.created', read),
);

/**
 * The statements of a comment on the task `taskId` (tasks' NAMED_TASK): built once for a task
 * named by id and once for one named by reference, which the pipeline's first statement
 * resolves once (namingStatements), as the ordinary create's `findTaskId` does.
 */
function commentStatementsNaming(taskId: SQL) {
  /** The live task commented on, in the check's FROM: its project is what access is checked against. */
  const theTask = sql`join ${tasks} on ${tasks.organizationId} = m.organization_id and ${tasks.id} = ${taskId} and ${tasks.deletedAt} is null`;

  /** The task's project, for the notification and the live event (`projectOfTask`). */
  const projectOfTask = sql`(select ${tasks.projectId} from ${tasks} where ${tasks.organizationId} = ${value('organizationId')} and ${tasks.id} = ${taskId})`;

  const about = (type: 'mentioned' | 'commented') => ({ organizationId: value('organizationId'), type, actorId: value('userId'), projectId: projectOfTask, taskId, commentId: value('commentId') });
  /** The members the body mentions, as `tellMentioned` finds them in the ordinary create. */
  const mentioned = membersByHandleSql(value('organizationId'), value('handles'));

  return {
    /**
     * Every check of the ordinary create as one condition: a member whose role may write work
     * (`requirePermission(call, 'work:write')`), the task live in a live project the caller may
     * comment on (`findTaskId`, `requireAccessVia(…, 'comment')`).
     */
    checks: plainStatement<Values>(
      refuseUnlessWriter(projectAccessSql({ organizationId: value('organizationId'), projectId: sql`${tasks.projectId}`, userId: value('userId') }, sql`m.role`, 'comment'), theTask),
    ),
    /** The members the body mentions (`handles`) are told so, the author too when named (tellSql skips the actor). */
    tellMentioned: plainStatement<Values & { commentId: string; eventId: string; handles: string[] }>(tellSql(about('mentioned'), mentioned, value('eventId'))),
    /** The task's watchers but the author and those mentioned (told already) hear of the comment. */
    tellWatchers: plainStatement<Values & { commentId: string; eventId: string; handles: string[] }>(
      tellSql(about('commented'), watchersOf(value('organizationId'), taskId, sql`array(${mentioned})`), value('eventId')),
    ),
    liveEvent: plainStatement<Named & { commentId: string; eventId: string }>(
      insertAndNotifySql(
        value('organizationId'),
        sql`(select ${oneLiveEventJson(value('eventId'), 'comment.created', projectOfTask, sql`${value('commentId')}::uuid`)})`,
      ),
    ),
  };
}

const NAMED = { id: commentStatementsNaming(NAMED_TASK.id), ref: commentStatementsNaming(NAMED_TASK.ref) };

/** By reference, the insert and the author's watch name the task as resolved, and write nothing when it is gone. */
const insertOnRef = repository.insertCommentOnStatement(FROM_NAMED_TASK_REF);
const watchOnRef = plainStatement<Values>(
  sql`insert into task_watchers (organization_id, task_id, user_id)
      select t.organization_id, t.id, ${value('userId')}::uuid ${FROM_NAMED_TASK_REF}
      on conflict (organization_id, task_id, user_id) do nothing`,
);

/** The comment's insert and its author's watch (`watchAutomatically`). */
function writes(organizationId: string, userId: string, comment: { id: string; body: string }, named: NamedTaskValues) {
  if ('id' in named) {
    const taskId = named.id;
    return [
      repository.insertCommentStatement.bind({ ...comment, organizationId, taskId, authorId: userId }),
      watchPairsStatement.bind({ organizationId, taskIds: [taskId], userIds: [userId] }),
    ];
  }
  return [insertOnRef.bind({ ...comment, organizationId, ...named, authorId: userId }), watchOnRef.bind({ organizationId, ...named, userId })];
}

/**
 * The pipeline's statements after the context for a comment on the task `taskIdOrRef` (its id or
 * its reference, ACME-7), and how to read the new comment from their results.
 */
export function createCommentStatements(call: ClaimedCall, taskIdOrRef: string, input: CreateCommentInput) {
  const { organizationId, userId } = call.claim;
  const commentId = uuidv7();
  const named = namedTaskValues(taskLookup(taskIdOrRef));
  const { checks, tellMentioned, tellWatchers, liveEvent } = NAMED[named.by];
  const task = { organizationId, ...named.values };
  const handles = mentionedHandles(input.body);
  const statements = [
    ...namingStatements(organizationId, named.values),
    checks.bind({ ...task, userId }),
    ...writes(organizationId, userId, { id: commentId, body: input.body }, named.values),
    // The event ids in the ordinary create's order: the mention's notifications first.
    ...(handles.length > 0 ? [tellMentioned.bind({ ...task, userId, commentId, handles, eventId: uuidv7() })] : []),
    tellWatchers.bind({ ...task, userId, commentId, handles, eventId: uuidv7() }),
    commentRecorded.bind({ organizationId, id: commentId, occurredAt: new Date().toISOString() }),
    liveEvent.bind({ ...task, commentId, eventId: uuidv7() }),
  ];
  const readAt = statements.length - 2;
  return { statements, read: (results: PipelineResult[]) => commentRecorded.read(results[readAt]) };
}

/**
 * Creates the comment on the task `taskIdOrRef` in one round trip, or answers undefined when the
 * check refused it (nothing was written; the ordinary create tells why).
 */
export async function createCommentInOneTrip(call: ClaimedCall, taskIdOrRef: string, input: CreateCommentInput) {
  const { statements, read } = createCommentStatements(call, taskIdOrRef, input);
  return runInOneTrip(call, statements, read);
}
