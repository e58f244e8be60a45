import type { Context } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/connection.js';
import type { AppEnv } from '../http/env.js';
import { type Auth, CLIENT_ADDRESS_HEADER } from './auth.js';
import { authErrorResponse } from './auth-error.js';
import { recordAuthEvent } from './auth-events.js';
import { guardOrganizationEndpoint } from './organization-endpoints.js';
import { recordSignInFailure, signInRetryAfter } from './sign-in-limit.js';

/**
 * Serves Better Auth behind our own checks: its organization endpoints (organization-endpoints.ts),
 * the one body it passes to the database unvalidated, and the sign-in limit (sign-in-limit.ts).
 * Writes what its own hooks cannot see to `auth_events`: failed sign-ins (with the email tried)
 * and sign-outs. Successful sign-ins are recorded when their session is created (see auth.ts).
 */
export async function handleAuthRequest(c: Context<AppEnv>, auth: Auth, db: Database): Promise<Response> {
  const path = c.req.path;
  const signingIn = c.req.method === 'POST' && path.endsWith('/sign-in/email');
  const signingOut = c.req.method === 'POST' && path.endsWith('/sign-out');
  const refused =
    (c.req.method === 'POST' && path.endsWith('/update-user') ? await invalidProfile(c.req.raw.clone()) : null) ??
    (await guardOrganizationEndpoint(c.req.raw, auth, db));
  if (refused) return refused;

  const { ipAddress, userAgent } = c.var.client;
  const attempt = { ipAddress, email: signingIn ? await emailOf(c.req.raw.clone()) : null };
  if (signingIn) {
    const retryAfter = await signInRetryAfter(db, attempt);
    if (retryAfter !== null) {
      return authErrorResponse(429, 'TOO_MANY_REQUESTS', 'Too many failed sign-ins. Try again later.', { 'retry-after': String(retryAfter) });
    }
  }
  const leaving = signingOut ? await auth.api.getSession({ headers: c.req.raw.headers }) : null;

  const response = await withRetryAfter(await withErrorBody(await auth.handler(withClientAddress(c.req.raw, ipAddress))));

  const where = { ipAddress, userAgent, requestId: c.var.requestId };
  if (signingIn && response.status >= 400) {
    // Only a wrong email or password is a guess; a malformed body or a ban is not.
    if (response.status === 401) await recordSignInFailure(db, attempt);
    await recordAuthEvent(db, { action: 'auth.sign_in_failed', email: attempt.email, ...where });
  } else if (signingOut && response.ok && leaving) {
    await recordAuthEvent(db, { action: 'auth.sign_out', userId: leaving.user.id, email: leaving.user.email, ...where });
  }
  return response;
}

/** Better Auth's codes for the statuses it answers without a body (its admin routes' 401 and 403). */
const EMPTY_ERROR_CODES: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

/** An error without a body gets one in Better Auth's shape: a client must always be able to read why. */
async function withErrorBody(response: Response): Promise<Response> {
  if (response.status < 400 || (await response.clone().text()).length > 0) return response;
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  const code = EMPTY_ERROR_CODES[response.status] ?? 'ERROR';
  const message = response.statusText || code.toLowerCase().replace('_', ' ');
  return new Response(JSON.stringify({ code, message }), { status: response.status, headers });
}

/**
 * Better Auth's own limiter (auth.ts: reset and verification mail requests) answers 429 with
 * `X-Retry-After` and no code; clients and proxies read the standard `Retry-After`, and our
 * sign-in limit's 429 has a code, so its answer is made the same.
 */
async function withRetryAfter(response: Response): Promise<Response> {
  if (response.status !== 429 || response.headers.has('retry-after')) return response;
  const retryAfter = response.headers.get('x-retry-after') ?? '60';
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return authErrorResponse(429, 'TOO_MANY_REQUESTS', body.message ?? 'Too many requests. Try again later.', { 'retry-after': retryAfter });
}

/**
 * The request as Better Auth should see it: our resolved client address in the one header it
 * reads (whatever the client sent there is dropped), so its sessions record the same address.
 */
function withClientAddress(request: Request, ipAddress: string | null): Request {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  if (ipAddress) headers.set(CLIENT_ADDRESS_HEADER, ipAddress);
  return new Request(request, { headers });
}

/**
 * Better Auth hands update-user fields to the database unchecked, so a null or non-string name
 * surfaced as a 500. Our columns' rules, checked at the edge instead, refused in its shape.
 */
const ProfileUpdate = z.looseObject({
  name: z.string().trim().min(1).max(200).optional(),
  image: z.string().max(2048).nullable().optional(),
});

async function invalidProfile(request: Request): Promise<Response | null> {
  const parsed = ProfileUpdate.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
    return authErrorResponse(400, 'VALIDATION_ERROR', `invalid profile: ${fields.map((f) => f.path).join(', ')}`);
  }
  return null;
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
