import { and, eq } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { memberRole } from '../auth/membership.js';
import { isRole } from '../auth/permissions.js';
import type { Database } from '../db/connection.js';
import { members, organizations } from '../db/schema/index.js';
import { TenantryError } from '../errors.js';
import { isUuid } from '../uuid.js';
import type { AppEnv } from './env.js';

/** What an organization slug can look like (see CreateOrganizationBody); anything else is not looked up. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The organization behind a slug and the caller's role in it, in one statement over the unique
 * slug index. Like `memberRole`, it runs before any tenant context exists.
 */
async function membershipBySlug(db: Database, slug: string, userId: string) {
  const [row] = await db.orm
    .select({ organizationId: organizations.id, role: members.role })
    .from(organizations)
    .innerJoin(members, and(eq(members.organizationId, organizations.id), eq(members.userId, userId)))
    .where(eq(organizations.slug, slug));
  return row && isRole(row.role) ? { organizationId: row.organizationId, role: row.role } : null;
}

async function membershipOf(db: Database, idOrSlug: string, userId: string) {
  if (isUuid(idOrSlug)) {
    const role = await memberRole(db, idOrSlug, userId);
    return role ? { organizationId: idOrSlug.toLowerCase(), role } : null;
  }
  return idOrSlug.length <= 64 && SLUG.test(idOrSlug) ? membershipBySlug(db, idOrSlug, userId) : null;
}

/** Who a request claims to act for, before membership is checked. */
export type TenantClaim = { organizationId: string; userId: string };

/**
 * For routes that check membership inside their own single round trip (`inTenantOnce`): the
 * signed-in caller (401 otherwise) and the organization the path names. An id costs nothing
 * here; a slug is resolved, with the caller's membership, in one statement, and 404s like
 * `tenantScope` when the caller is no member.
 */
export async function claimTenant(db: Database, c: Context<AppEnv>): Promise<TenantClaim> {
  // c.get, not c.var: Hono builds a new object of every variable on each read of c.var.
  const userId = c.get('userId');
  if (!userId) throw new TenantryError('unauthenticated', 'sign in first');
  const idOrSlug = c.req.param('orgId') ?? '';
  if (isUuid(idOrSlug)) return { organizationId: idOrSlug.toLowerCase(), userId };
  const membership = await membershipOf(db, idOrSlug, userId);
  if (!membership) throw new TenantryError('not_found', 'organization not found');
  return { organizationId: membership.organizationId, userId };
}

/**
 * Guards every `/orgs/{orgId}/…` route, where `{orgId}` is the organization's id or its slug:
 * the caller must be signed in (401) and a member of the organization; anyone else gets 404,
 * exactly as if the organization did not exist. Handlers read the resolved id from
 * `c.var.tenant`, never from the path.
 */
export function tenantScope(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const userId = c.var.userId;
    if (!userId) throw new TenantryError('unauthenticated', 'sign in first');
    const membership = await membershipOf(db, c.req.param('orgId') ?? '', userId);
    if (!membership) throw new TenantryError('not_found', 'organization not found');
    c.set('tenant', { organizationId: membership.organizationId, userId, role: membership.role });
    await next();
  };
}
