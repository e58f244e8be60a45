import type { Context } from 'hono';
import type { Database } from '../db/connection.js';
import type { AppEnv } from '../http/env.js';
import type { Auth } from './auth.js';
import { recordAuthEvent } from './auth-events.js';

/**
 * Serves Better Auth and writes what its own hooks cannot see to `auth_events`: failed
 * sign-ins (with the email tried) and sign-outs. Successful sign-ins are recorded when their
 * session is created (see auth.ts).
 */
export async function handleAuthRequest(c: Context<AppEnv>, auth: Auth, db: Database): Promise<Response> {
  const path = c.req.path;
  const signingIn = c.req.method === 'POST' && path.endsWith('/sign-in/email');
  const signingOut = c.req.method === 'POST' && path.endsWith('/sign-out');
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
