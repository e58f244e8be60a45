import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PipelineResult } from '../../db/pipeline.js';
import { tasks } from '../../db/schema/index.js';
import { plainStatement } from '../../db/statement.js';
import { isUuid } from '../../uuid.js';
import { insertAndNotifySql } from '../live-events/repository.js';
import { watchTasksStatement } from '../notifications/repository.js';
import { mentionedHandles } from '../notifications/service.js';
import { tellSql, watchersOf } from '../notifications/tell-in-one-trip.js';
import { projectAccessSql } from '../shared/project-access.js';
import type { ClaimedCall } from '../shared/service-call.js';
import { refuseUnlessWriter, runInOneTrip } from '../tasks/one-trip-write.js';
import { recordEventsFromSql, whenSubscribed } from '../webhooks/repository.js';
import { webhookBodySql } from '../webhooks/service.js';
import * as repository from './repository.js';
import type { CreateCommentInput } from './schemas.js';

/*
 * A comment create in one database round trip: the tenant context, the check, the insert (its
 * audit row from the trigger), the author's watch, the `commented` notification to the task's
 * other watchers (tell-in-one-trip.ts, the rules the ordinary path runs), the comment read for
 * the answer recording its webhook event, and the live event go out as one pipeline, one
 * transaction. The check raises when it fails (tasks/one-trip-write.ts), and the ordinary create
 * then answers why.
 */

const value = sql.placeholder;

type Values = { organizationId: string; userId: string; taskId: string };

/** The live task commented on, in the check's FROM: its project is what access is checked against. */
const theTask = sql`join ${tasks} on ${tasks.organizationId} = m.organization_id and ${tasks.id} = ${value('taskId')} and ${tasks.deletedAt} is null`;

/**
 * Every check of the ordinary create as one condition: a member whose role may write work
 * (`requirePermission(call, 'work:write')`), the task live in a live project the caller may
 * comment on (`findTaskId`, `requireAccessVia(…, 'comment')`).
 */
const checks = plainStatement<Values>(
  refuseUnlessWriter(projectAccessSql({ organizationId: value('organizationId'), projectId: sql`${tasks.projectId}`, userId: value('userId') }, sql`m.role`, 'comment'), theTask),
);

/** The task's project, for the notification and the live event (`projectOfTask`). */
const projectOfTask = sql`(select ${tasks.projectId} from ${tasks} where ${tasks.organizationId} = ${value('organizationId')} and ${tasks.id} = ${value('taskId')})`;

/** The task's watchers but the author (tellSql skips the actor) hear of the comment; no one is mentioned. */
const tellWatchers = plainStatement<Values & { commentId: string; eventId: string }>(
  tellSql(
    { organizationId: value('organizationId'), type: 'commented', actorId: value('userId'), projectId: projectOfTask, taskId: value('taskId'), commentId: value('commentId') },
    watchersOf(value('organizationId'), value('taskId')),
    value('eventId'),
  ),
);

/** The comment read for the answer, its `comment.created` event recorded in the same statement. */
const commentRecorded = repository.findCommentAroundStatement<{ organizationId: string; id: string; occurredAt: string }>(
  (json) => whenSubscribed(webhookBodySql('comment.created', value('organizationId'), value('occurredAt'), json)),
  (read) => recordEventsFromSql(value('organizationId'), 'comment.created', read),
);

const liveEvent = plainStatement<{ organizationId: string; taskId: string; commentId: string; eventId: string }>(
  insertAndNotifySql(
    value('organizationId'),
    sql`(select json_build_array(json_build_object('eventId', ${value('eventId')}::uuid, 'kind', 'comment.created', 'projectId', ${projectOfTask}, 'id', ${value('commentId')}::uuid)))`,
  ),
);

/** Whether a comment create can go in one round trip: the task named by id, and no mention (telling those named takes reading who they are). */
export function commentsInOneTrip(taskIdOrRef: string, input: CreateCommentInput): boolean {
  return isUuid(taskIdOrRef) && mentionedHandles(input.body).length === 0;
}

/** The pipeline's statements after the context, and how to read the new comment from their results. */
export function createCommentStatements(call: ClaimedCall, taskId: string, input: CreateCommentInput) {
  const { organizationId, userId } = call.claim;
  const commentId = uuidv7();
  const statements = [
    checks.bind({ organizationId, userId, taskId }),
    repository.insertCommentStatement.bind({ id: commentId, organizationId, taskId, authorId: userId, body: input.body }),
    watchTasksStatement.bind({ organizationId, taskIds: [taskId], userId }),
    tellWatchers.bind({ organizationId, userId, taskId, commentId, eventId: uuidv7() }),
    commentRecorded.bind({ organizationId, id: commentId, occurredAt: new Date().toISOString() }),
    liveEvent.bind({ organizationId, taskId, commentId, eventId: uuidv7() }),
  ];
  return { statements, read: (results: PipelineResult[]) => commentRecorded.read(results[4]) };
}

/**
 * Creates the comment in one round trip, or answers undefined when the check refused it
 * (nothing was written; the ordinary create tells why).
 */
export async function createCommentInOneTrip(call: ClaimedCall, taskId: string, input: CreateCommentInput) {
  const { statements, read } = createCommentStatements(call, taskId, input);
  return runInOneTrip(call, statements, read);
}
