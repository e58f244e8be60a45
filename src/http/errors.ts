import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, RateLimited, TenantryError, sqlState } from '../errors.js';
import type { AppEnv } from './env.js';
import { requestLogger } from './request-context.js';
import { conflictingFields } from './unique-violation.js';

/** The one place an error code becomes an HTTP status. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  payment_required: 402,
  forbidden: 403,
  limit_exceeded: 403,
  feature_not_in_plan: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  refused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  provider_error: 502,
  database_unreachable: 503,
  unavailable: 503,
  database_permission: 500,
  migration_failed: 500,
  migration_drift: 500,
  internal: 500,
};

/**
 * Raised by the lifecycle triggers (migration 0011: a completed sprint or an archived project
 * accepts no new work), with a message written for the client.
 */
const LIFECYCLE_REFUSAL = 'TL409';

function lifecycleMessage(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if ('code' in current && current.code === LIFECYCLE_REFUSAL) return current.message;
    current = current.cause;
  }
  return 'the resource accepts no such change in its current state';
}

/** Constraint violations the database reports, turned into the client's mistake they are. */
function fromDatabase(error: unknown): TenantryError | null {
  switch (sqlState(error)) {
    case LIFECYCLE_REFUSAL:
      return new TenantryError('conflict', lifecycleMessage(error));
    case '23505':
      return new TenantryError('conflict', 'a resource with the same unique value already exists', conflictingFields(error));
    case '23503':
      // Another tenant's parent looks exactly like a missing one.
      return new TenantryError('not_found', 'a referenced resource does not exist');
    case '23514':
    case '23502':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22021':
    case '22P05':
      return new TenantryError('validation_failed', 'the values break a rule of the data model');
    case '42501':
      return new TenantryError('not_found', 'not found');
    case '57P01':
    case '57P03':
    case '08006':
    case '08001':
      return new TenantryError('unavailable', 'the database is unavailable; try again shortly');
    default:
      return null;
  }
}

const CONNECTION_LOSS = /ECONNREFUSED|ECONNRESET|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|not queryable/i;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A lost or refused database connection, however many libraries wrapped it (Better Auth, Drizzle). */
function isConnectionLoss(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = 'code' in current ? current.code : undefined;
    if (CONNECTION_LOSS.test(current.message) || (typeof code === 'string' && NETWORK_CODES.has(code))) return true;
    current = current.cause;
  }
  return false;
}

/** Hono's own refusals: the validator's malformed JSON and wrong media type, body limits. */
function fromHttpException(error: HTTPException, c: Context<AppEnv>): TenantryError {
  const status = error.status;
  if (status === 415) {
    const sent = c.req.header('content-type')?.slice(0, 100) ?? 'none';
    return new TenantryError('unsupported_media_type', `this route takes application/json; the Content-Type was ${sent}`);
  }
  if (status === 400 && /json/i.test(error.message)) return new TenantryError('invalid_json', 'the request body is not valid JSON');
  const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthenticated' : status === 404 ? 'not_found' : 'bad_request';
  return new TenantryError(code, error.message || code.replace('_', ' '));
}

/** Renders every failure as `{ error: { code, message, details? } }`; 500s are logged, never explained. */
export function handleError(error: Error, c: Context<AppEnv>) {
  let known = error instanceof TenantryError ? error : fromDatabase(error);
  if (!known && isConnectionLoss(error)) known = new TenantryError('unavailable', 'the database is unavailable; try again shortly');
  if (!known && error instanceof HTTPException) known = fromHttpException(error, c);
  if (!known) {
    requestLogger(c).error({ err: error }, 'unhandled error');
    known = new TenantryError('internal', `internal error (request ${c.var.requestId})`);
  }
  const status = STATUS[known.code];
  if (status >= 500 && known.code !== 'internal') requestLogger(c).error({ err: error }, known.message);
  if (known instanceof RateLimited) c.header('Retry-After', String(Math.max(1, Math.ceil(known.retryAfterSeconds))));
  return c.json({ error: { code: known.code, message: known.message, ...(known.details === undefined ? {} : { details: known.details }) } }, status);
}

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}
