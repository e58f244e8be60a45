import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './env.js';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, a fresh UUID
 * otherwise) and one access-log line at the end. Other lines about the request go through
 * `requestLogger(c)`, which stamps the id on them.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  // The access line holds only the fields below, none of which a redact path names, so it goes
  // through a logger without redaction: with the wildcard paths (logger.ts) pino runs every value
  // of every line through its redactor instead of writing it directly. The bytes are the same.
  const accessLog = logger.child({}, { redact: [] });
  return async (c, next) => {
    const offered = c.req.header('x-request-id');
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    c.set('requestId', requestId);
    c.set('logger', logger);
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
    // The id first in the line's own object writes the same bytes as a child logger bound to it
    // would, without making a child logger on every request.
    accessLog.info(
      { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  };
}

/** The request's logger, stamping its id on every line: made when a line is written (an error), not per request. */
export function requestLogger(c: Context<AppEnv>): Logger {
  return c.get('logger').child({ requestId: c.get('requestId') });
}
