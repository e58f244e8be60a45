import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { refuseInput } from './json-shape.js';

const NUL = /\\u0000|\u0000/;

/**
 * PostgreSQL text cannot hold a NUL character, so a JSON body carrying one would fail deep in a
 * query (as a 500 in libraries we do not own, such as the auth routes). Refuse it at the edge.
 */
export function rejectNulCharacters(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header('content-type')?.includes('application/json') && NUL.test(await c.req.raw.clone().text())) {
      return refuseInput(c, 'text may not contain NUL (\\u0000) characters', [{ path: '(body)', message: 'contains a NUL character' }]);
    }
    await next();
  };
}
