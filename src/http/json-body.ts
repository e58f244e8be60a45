import type { Context, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env.js';
import { jsonShapeViolation, refuseInput } from './json-shape.js';

/**
 * Refuses a body over `maxBytes` (`onTooLarge` throws the 413), except where `skip` says a route
 * sets its own limit. A declared Content-Length is compared without touching the body: asking
 * for `raw.body` makes @hono/node-server build a full web Request around the socket, which cost
 * a GET 45 µs of CPU and a small JSON POST 160 µs (bench/middleware.ts). Only a body without a
 * length (chunked) is counted as it streams, by Hono's own bodyLimit.
 */
export function limitBodySize(maxBytes: number, onTooLarge: () => never, skip: (c: Context<AppEnv>) => boolean): MiddlewareHandler<AppEnv> {
  const streamed = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  // Not async: a request that passes gets next()'s own promise, not one more around it.
  return (c, next) => {
    if (skip(c)) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(declared, 10) > maxBytes) onTooLarge();
      return next();
    }
    // No route reads the body of a GET; anything else without a length (chunked, or a Request
    // built in process, as tests send) is counted.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streamed(c, next);
  };
}

/**
 * Checks every JSON request body at the edge, present routes and future, reading it once:
 *
 * - no NUL character, raw or escaped: PostgreSQL text cannot hold one, so it would fail deep in
 *   a query (as a 500 in libraries we do not own, such as the auth routes);
 * - the nesting and container limits of jsonShapeViolation.
 *
 * The text is read through Hono, which keeps it, so the route's own `c.req.json()` parses it
 * without reading the socket again. Better Auth reads the web Request itself, so under
 * /api/auth it gets a Request carrying the same text.
 */
export function checkJsonBodies(): MiddlewareHandler<AppEnv> {
  // Not async: a request without a JSON body gets next()'s own promise, not one more around it.
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || !c.req.header('content-type')?.toLowerCase().includes('json')) return next();
    return checkJsonBody(c, next);
  };
}

/** The checks themselves, for a request that sends JSON. */
async function checkJsonBody(c: Context<AppEnv>, next: Next): Promise<Response | void> {
  const text = await c.req.text();
  if (text.includes('\u0000') || text.includes('\\u0000')) {
    return refuseInput(c, 'text may not contain NUL (\\u0000) characters', [{ path: '(body)', message: 'contains a NUL character' }]);
  }
  const violation = jsonShapeViolation(text);
  if (violation) return refuseInput(c, `invalid JSON shape: ${violation.path} is ${violation.message}`, [violation]);
  if (c.req.path.startsWith('/api/auth/')) c.req.raw = new Request(c.req.raw, { body: text });
  return next();
}
