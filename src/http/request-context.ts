import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './env.js';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, a fresh UUID
 * otherwise), a logger that stamps it on every line, and one access-log line at the end.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header('x-request-id');
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    const requestLogger = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', requestLogger);
    c.set('userId', null);
    const started = performance.now();
    await next();
    // Set on the response as it stands: Hono's `c.header()` after the handler copies the
    // response into a new one, and @hono/node-server then builds a full web Response where it
    // would have written a plain one straight to the socket. The headers object is shared, so
    // setting on it costs nothing; only immutable headers (a response fetched from elsewhere)
    // take the copy.
    try {
      c.res.headers.set('x-request-id', requestId);
    } catch {
      c.header('x-request-id', requestId);
    }
    requestLogger.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  };
}
