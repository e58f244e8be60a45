import type { Context } from 'hono';
import { authErrorResponse } from '../auth/auth-error.js';
import { TenantryError } from '../errors.js';
import type { AppEnv } from './env.js';

type RegisteredRoute = { method: string; path: string };

/** `/api/v1/orgs/:orgId/tasks/:id` → a regex over request paths; `*` matches the rest. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The web app's fallback answers GET anywhere; that does not make every path a known one. */
const CATCH_ALL = new Set(['*', '/*']);

/**
 * The methods some registered route answers at `path`, read from the router itself so new
 * routes count without being listed; middleware (`ALL`) answers nothing on its own.
 */
export function allowedMethods(routes: readonly RegisteredRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || CATCH_ALL.has(route.path) || methods.has(route.method)) continue;
    if (pathPattern(route.path).test(path)) methods.add(route.method);
  }
  return [...methods].sort();
}

/**
 * The app's not-found handler: a path some route knows under other methods is `405` with an
 * `Allow` header listing them; anything else is `404`.
 *
 * @example
 * app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
 */
export function notFoundOrMethodNotAllowed(routes: () => readonly RegisteredRoute[]) {
  return (c: Context<AppEnv>): Response => {
    const allow = allowedMethods(routes(), c.req.path);
    // A route that answers this method and still found nothing means the resource is missing.
    if (allow.length === 0 || allow.includes(c.req.method)) throw new TenantryError('not_found', 'no such route');
    const message = `${c.req.method} is not allowed here; use ${allow.join(', ')}`;
    // Under /api/auth every error keeps Better Auth's shape, which its client library reads.
    if (c.req.path.startsWith('/api/auth/')) return authErrorResponse(405, 'METHOD_NOT_ALLOWED', message, { allow: allow.join(', ') });
    c.header('Allow', allow.join(', '));
    throw new TenantryError('method_not_allowed', message);
  };
}
