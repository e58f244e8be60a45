import { z } from '@hono/zod-openapi';
import { projectMemberRoles } from '../../db/schema/index.js';
import { pageOf, PageQuery, ProjectParams, uuid } from '../../http/openapi.js';

export const ProjectMember = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    projectId: z.uuid(),
    userId: z.uuid(),
    role: z.enum(projectMemberRoles),
    name: z.string(),
    email: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('ProjectMember');

export const AddProjectMemberBody = z
  .strictObject({
    /** Must already be a member of the organization. */
    userId: z.uuid(),
    role: z.enum(projectMemberRoles).default('contributor'),
  })
  .openapi('AddProjectMember');

export const UpdateProjectMemberBody = z.strictObject({ role: z.enum(projectMemberRoles) }).openapi('UpdateProjectMember');

export const ProjectMemberListQuery = PageQuery.extend({ role: z.enum(projectMemberRoles).optional() });

export { ProjectParams };

/** `/orgs/{orgId}/projects/{projectId}/members/{userId}`: a person is named by their user id. */
export const ProjectMemberParams = ProjectParams.extend({
  userId: uuid().openapi({ param: { name: 'userId', in: 'path' }, description: "The project member's user id" }),
});

export const ProjectMemberPage = pageOf(ProjectMember, 'ProjectMemberPage');

export type AddProjectMemberInput = z.infer<typeof AddProjectMemberBody>;
export type UpdateProjectMemberInput = z.infer<typeof UpdateProjectMemberBody>;
export type ProjectMemberListFilter = z.infer<typeof ProjectMemberListQuery>;
