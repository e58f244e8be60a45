import { z } from '@hono/zod-openapi';
import { memberRoles } from '../../db/schema/index.js';
import { OrgParams, PageQuery, pageOf, uuid } from '../../http/openapi.js';

export const Member = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    userId: z.uuid(),
    role: z.enum(memberRoles),
    name: z.string(),
    email: z.string(),
    image: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Member');

export const UpdateMemberBody = z.strictObject({ role: z.enum(memberRoles) }).openapi('UpdateMember');

export const MemberListQuery = PageQuery.extend({ role: z.enum(memberRoles).optional() });

export const MemberPage = pageOf(Member, 'MemberPage');

/** `/orgs/{orgId}/members/{userId}`: a person is named by their user id, never a membership id. */
export const MemberParams = OrgParams.extend({
  userId: uuid().openapi({ param: { name: 'userId', in: 'path' }, description: "The member's user id" }),
});

export type UpdateMemberInput = z.infer<typeof UpdateMemberBody>;
export type MemberListFilter = z.infer<typeof MemberListQuery>;
