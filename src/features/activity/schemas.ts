import { z } from '@hono/zod-openapi';
import { PageQuery, ProjectParams, pageOf } from '../../http/openapi.js';
import { activityActions } from './describe.js';

export const ProjectActivityParams = ProjectParams;
export const ProjectActivityQuery = PageQuery;

export const activitySubjectTypes = ['project', 'project_member', 'epic', 'sprint', 'task', 'comment', 'document', 'asset'] as const;

const Actor = z.object({ id: z.uuid(), name: z.string(), image: z.string().nullable() }).openapi('ActivityActor');

const Subject = z
  .object({
    type: z.enum(activitySubjectTypes),
    id: z.uuid(),
    /** What it is called: the task's or epic's title, the sprint's or project's name, the file's name, the person's name. */
    name: z.string().nullable(),
    /** The task it is or belongs to (a task, a comment on it, a file attached to it): `ACME-7`. */
    taskRef: z.string().nullable(),
    /** A document's slug, for its page. */
    documentSlug: z.string().nullable(),
  })
  .openapi('ActivitySubject');

export const ProjectActivityEntry = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime(),
    /** Who did it; null for the system or for someone who is no longer a member. */
    actor: Actor.nullable(),
    action: z.enum(activityActions),
    subject: Subject,
    /** The fields that changed, with the API's field names; never a comment's body or a document's content. */
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  })
  .openapi('ProjectActivityEntry');

export const ProjectActivityPage = pageOf(ProjectActivityEntry, 'ProjectActivityPage');

export type ProjectActivityFilter = z.infer<typeof ProjectActivityQuery>;
export type ActivitySubjectType = (typeof activitySubjectTypes)[number];
