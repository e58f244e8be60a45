import { z } from '@hono/zod-openapi';
import { memberRoles } from '../../db/schema/index.js';
import { PageQuery, pageOf } from '../../http/openapi.js';

/** Mirrors `OrganizationSettings` in src/db/schema/organizations.ts; unknown keys are refused. */
export const OrganizationSettings = z
  .strictObject({
    timezone: z.string().min(1).max(64).optional(),
    locale: z.string().min(2).max(35).optional(),
    defaultMemberRole: z.enum(['admin', 'member', 'viewer']).optional(),
    features: z.record(z.string().max(100), z.boolean()).optional(),
    security: z
      .strictObject({
        requireTwoFactor: z.boolean().optional(),
        allowedEmailDomains: z.array(z.string().min(1).max(253)).max(100).optional(),
      })
      .optional(),
    ai: z
      .strictObject({
        enabled: z.boolean().optional(),
        monthlyTokenBudget: z.number().int().min(0).optional(),
      })
      .optional(),
  })
  .openapi('OrganizationSettings');

export const Organization = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    domain: z.string().nullable(),
    logo: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    settings: OrganizationSettings,
    /** The caller's role in this organization. */
    role: z.enum(memberRoles),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Organization');

const slug = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

const hostname = z
  .string()
  .max(253)
  // Letter case as character classes, not an `i` flag: JSON Schema patterns carry no flags.
  .regex(/^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/, 'a host name such as example.com')
  .openapi({ example: 'example.com' });

export const CreateOrganizationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    slug,
  })
  .openapi('CreateOrganization');

export const UpdateOrganizationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    logo: z.url({ protocol: /^https?$/ }).max(2048).nullable().optional(),
    domain: hostname.nullable().optional(),
    settings: OrganizationSettings.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change')
  .openapi('UpdateOrganization');

export const OrganizationListQuery = PageQuery;
export const OrganizationPage = pageOf(Organization, 'OrganizationPage');

export type CreateOrganizationInput = z.infer<typeof CreateOrganizationBody>;
export type UpdateOrganizationInput = z.infer<typeof UpdateOrganizationBody>;
export type OrganizationListFilter = z.infer<typeof OrganizationListQuery>;
