import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../errors.js';

/** The body of every error response. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

/** The failures every tenant route can answer with, declared once. */
export const tenantErrorResponses = {
  400: errorResponse('Invalid input, nothing was written: `validation_failed` names the fields in `details`; `invalid_json` is a body that is not JSON'),
  401: errorResponse('Not signed in'),
  402: errorResponse('`payment_required`: the subscription is past due or canceled, so writes that count against a plan limit wait for payment (reads go on)'),
  403: errorResponse('The role, plan limit or plan features do not allow it'),
  404: errorResponse('No such resource in this organization'),
  409: errorResponse('Conflicts with an existing resource; a unique value names its field in `details` (`[{ path }]`)'),
} as const;

/** The route property `checksMembershipItself` sets; an OpenAPI extension, so the route registry keeps it. */
export const CHECKS_MEMBERSHIP_ITSELF = 'x-checks-membership-itself';

/**
 * Spread into a route (`createRoute({ ...checksMembershipItself, … })`) whose handler checks the
 * caller's membership within its own single database round trip (`claimTenant`, then
 * `inTenantOnce`): the tenant middleware then leaves it alone, with no list to edit (app.ts
 * finds such routes in the registry). A route that says so and does not check is open to
 * every signed-in user: the cross-tenant suite is what catches that.
 */
export const checksMembershipItself = { [CHECKS_MEMBERSHIP_ITSELF]: true } as const;

export const uuid = () => z.uuid();

/** The organization's id or its slug; the tenant middleware resolves either to the id. */
export const orgIdOrSlug = () =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'orgId', in: 'path' }, description: "Organization id, or the organization's slug" });

export const OrgParams = z.object({ orgId: orgIdOrSlug() });

/** `/orgs/{orgId}/projects/{projectId}/<resource>` */
export const ProjectParams = OrgParams.extend({
  projectId: uuid().openapi({ param: { name: 'projectId', in: 'path' }, description: 'Project id' }),
});

/** `/orgs/{orgId}/<resource>/{id}` */
export const OrgResourceParams = OrgParams.extend({
  id: uuid().openapi({ param: { name: 'id', in: 'path' } }),
});

/** Keyset pagination: `limit` ≤ 100 and an opaque cursor from the previous page. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
