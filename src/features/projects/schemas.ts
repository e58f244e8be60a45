import { z } from '@hono/zod-openapi';
import { projectMemberRoles, projectStatuses, projectVisibilities } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

export const ProjectPermissions = z
  .object({
    comment: z.boolean().describe("may comment on the project's tasks"),
    write: z.boolean().describe('may change the project and its content: tasks, documents, sprints, epics; archive and unarchive it'),
    manage: z.boolean().describe("may manage the project's members and who sees it"),
  })
  .openapi('ProjectPermissions');

export const Project = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    name: z.string(),
    key: z.string(),
    description: z.string().nullable(),
    status: z.enum(projectStatuses),
    visibility: z.enum(projectVisibilities).describe("`private`: only the project's members and the organization's admins and owners see it"),
    ownerId: z.uuid().nullable(),
    createdById: z.uuid().nullable(),
    startDate: z.iso.date().nullable(),
    endDate: z.iso.date().nullable(),
    settings: z.record(z.string(), z.unknown()),
    archivedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    myRole: z.enum(projectMemberRoles).nullable().describe("The caller's project role; null when they are not on the project"),
    permissions: ProjectPermissions.describe('What the caller may do on the project beyond reading it, from their organization and project roles'),
  })
  .openapi('Project');

const date = z.iso.date();

export const CreateProjectBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    key: z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'two to ten capital letters or digits, starting with a letter'),
    description: z.string().max(10_000).nullish(),
    status: z.enum(projectStatuses).optional(),
    visibility: z.enum(projectVisibilities).optional(),
    ownerId: z.uuid().nullish(),
    startDate: date.nullish(),
    endDate: date.nullish(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('CreateProject');

export const UpdateProjectBody = CreateProjectBody.partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change' })
  .openapi('UpdateProject');

export const ProjectListQuery = PageQuery.extend({
  status: z.enum(projectStatuses).optional(),
  includeArchived: z.enum(['true', 'false']).optional(),
});

export const ProjectPage = pageOf(Project, 'ProjectPage');

export type CreateProjectInput = z.infer<typeof CreateProjectBody>;
export type UpdateProjectInput = z.infer<typeof UpdateProjectBody>;
export type ProjectListFilter = z.infer<typeof ProjectListQuery>;
