import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { members, organizations } from '../db/schema/index.js';
import { isUuid } from '../uuid.js';
import type { Auth } from './auth.js';
import { authErrorResponse } from './auth-error.js';

/**
 * Better Auth's organization endpoints we leave open, and why. Everything else under
 * `/organization/` is refused: creating one there skips the subscription, and its member,
 * invitation and role endpoints skip /api/v1's roles, plan limits and last-owner rule.
 * A new Better Auth endpoint is refused until someone adds it here (organization-endpoints.test.ts
 * fails until it is classified).
 */
export const OPEN_ORGANIZATION_ENDPOINTS: Record<string, string> = {
  // Chooses the session's active organization; we check membership first (below).
  '/organization/set-active': "changes only the caller's own session",
  // The caller's own organizations, nothing about their members: the same as GET /api/v1/organizations.
  '/organization/list': "lists only the caller's own organizations",
};

/** The part after `/api/auth`, or null when the path is not one of Better Auth's organization endpoints. */
export function organizationEndpointOf(path: string): string | null {
  const match = /\/api\/auth(\/organization\/.*)$/.exec(path);
  return match?.[1] ?? null;
}

/**
 * Refuses closed organization endpoints, and checks set-active's input and membership before
 * Better Auth runs: its own check answers 403 only after clearing the session's active
 * organization, and a non-UUID id reached the database as a 500. Returns the refusal, or null
 * to let Better Auth answer.
 */
export async function guardOrganizationEndpoint(request: Request, auth: Auth, db: Database): Promise<Response | null> {
  const endpoint = organizationEndpointOf(new URL(request.url).pathname);
  if (endpoint === null) return null;
  if (!(endpoint in OPEN_ORGANIZATION_ENDPOINTS)) {
    return authErrorResponse(404, 'NOT_FOUND', 'organizations are managed under /api/v1/organizations and /api/v1/orgs/{orgId}');
  }
  if (endpoint !== '/organization/set-active' || request.method !== 'POST') return null;

  const body: unknown = await request.clone().json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return authErrorResponse(400, 'VALIDATION_ERROR', 'the body must be a JSON object');
  }
  const { organizationId, organizationSlug } = body as { organizationId?: unknown; organizationSlug?: unknown };
  if (organizationId !== undefined && organizationId !== null && (typeof organizationId !== 'string' || !isUuid(organizationId))) {
    return authErrorResponse(400, 'VALIDATION_ERROR', 'organizationId must be a UUID or null');
  }
  if (organizationSlug !== undefined && (typeof organizationSlug !== 'string' || organizationSlug.length > 200)) {
    return authErrorResponse(400, 'VALIDATION_ERROR', 'organizationSlug must be a string');
  }
  // Clearing the active organization (null) needs no membership; Better Auth handles a missing session.
  if (typeof organizationId !== 'string' && typeof organizationSlug !== 'string') return null;
  const session = await auth.api.getSession({ headers: request.headers });
  if (!session) return null;
  const [membership] = await db.orm
    .select({ id: members.organizationId })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(
      and(
        eq(members.userId, session.user.id),
        typeof organizationId === 'string' ? eq(organizations.id, organizationId) : eq(organizations.slug, String(organizationSlug)),
      ),
    );
  return membership
    ? null
    : authErrorResponse(403, 'USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION', 'You are not a member of this organization');
}
