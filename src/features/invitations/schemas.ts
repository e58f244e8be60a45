import { z } from '@hono/zod-openapi';
import { invitationStatuses, memberRoles } from '../../db/schema/index.js';
import { PageQuery, pageOf, uuid } from '../../http/openapi.js';

export const Invitation = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    email: z.string(),
    role: z.enum(memberRoles),
    /** `expired` also covers a pending invitation whose expiry has passed. */
    status: z.enum(invitationStatuses),
    expiresAt: z.iso.datetime(),
    inviterId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Invitation');

export const CreateInvitationBody = z
  .strictObject({
    email: z.email().max(320),
    role: z.enum(memberRoles).default('member'),
  })
  .openapi('CreateInvitation');

export const InvitationListQuery = PageQuery.extend({ status: z.enum(invitationStatuses).optional() });

export const InvitationPage = pageOf(Invitation, 'InvitationPage');

/** An open invitation as its invitee sees it: which organization, who invited, until when. */
export const MyInvitation = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    organizationName: z.string(),
    email: z.string(),
    role: z.enum(memberRoles),
    expiresAt: z.iso.datetime(),
    inviterName: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('MyInvitation');

export const MyInvitations = z
  .object({
    /** False: the list stays empty until the address is verified (the mail's link still works). */
    emailVerified: z.boolean(),
    items: z.array(MyInvitation),
  })
  .openapi('MyInvitations');

/** `/invitations/{id}/accept`: the id alone, since the caller is not a member yet. */
export const InvitationParams = z.object({ id: uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export type CreateInvitationInput = z.infer<typeof CreateInvitationBody>;
export type InvitationListFilter = z.infer<typeof InvitationListQuery>;
