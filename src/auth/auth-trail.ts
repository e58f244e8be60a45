import type { Context } from 'hono';
import { z } from 'zod';
import { TenantryError } from '../errors.js';
import type { Database } from '../db/connection.js';
import type { AppEnv } from '../http/env.js';
import type { Auth } from './auth.js';
import { recordAuthEvent } from './auth-events.js';

/**
 * Serves Better Auth, checks the one body it passes to the database unvalidated, and writes what its own hooks cannot see to `auth_events`: failed
 * sign-ins (with the email tried) and sign-outs. Successful sign-ins are recorded when their
 * session is created (see auth.ts).
 */
export async function handleAuthRequest(c: Context<AppEnv>, auth: Auth, db: Database): Promise<Response> {
  const path = c.req.path;
  const signingIn = c.req.method === 'POST' && path.endsWith('/sign-in/email');
  const signingOut = c.req.method === 'POST' && path.endsWith('/sign-out');
  if (c.req.method === 'POST' && path.endsWith('/update-user')) await requireValidProfile(c.req.raw.clone());
  // Members, invitations and roles change only through /api/v1, where plan limits, roles and the
  // last-owner rule are enforced; Better Auth's own organization writes would skip them. Creating
  // an organization stays open (the data key is made on first use, the plan defaults to free).
  if (c.req.method === 'POST' && /\/organization\//.test(path) && !/\/organization\/(create|set-active)$/.test(path)) {
    throw new TenantryError('not_found', 'organizations are managed under /api/v1/organizations and /api/v1/orgs/{orgId}');
  }
  const attemptedEmail = signingIn ? await emailOf(c.req.raw.clone()) : null;
  const leaving = signingOut ? await auth.api.getSession({ headers: c.req.raw.headers }) : null;

  const response = await auth.handler(c.req.raw);

  const where = {
    ipAddress: c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? null,
    userAgent: c.req.header('user-agent') ?? null,
    requestId: c.var.requestId,
  };
  if (signingIn && response.status >= 400) {
    await recordAuthEvent(db, { action: 'auth.sign_in_failed', email: attemptedEmail, ...where });
  } else if (signingOut && response.ok && leaving) {
    await recordAuthEvent(db, { action: 'auth.sign_out', userId: leaving.user.id, email: leaving.user.email, ...where });
  }
  return response;
}

/**
 * Better Auth hands update-user fields to the database unchecked, so a null or non-string name
 * surfaced as a 500. Our columns' rules, checked at the edge instead.
 */
const ProfileUpdate = z.looseObject({
  name: z.string().trim().min(1).max(200).optional(),
  image: z.string().max(2048).nullable().optional(),
});

async function requireValidProfile(request: Request): Promise<void> {
  const parsed = ProfileUpdate.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
    throw new TenantryError('validation_failed', `invalid profile: ${fields.map((f) => f.path).join(', ')}`, fields);
  }
}

async function emailOf(request: Request): Promise<string | null> {
  try {
    const body: unknown = await request.json();
    if (typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string') {
      return body.email.slice(0, 320);
    }
  } catch {
    // Not JSON: Better Auth will refuse it; the attempt is still recorded, without an email.
  }
  return null;
}
