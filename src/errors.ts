/**
 * The closed set of failure codes Tenantry reports. The CLI prints the message as one line;
 * the HTTP layer maps each code to a status in one place.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'limit_exceeded',
  'payment_required',
  'feature_not_in_plan',
  /** An outside service (an AI provider) refused or failed; the message says what it answered. */
  'provider_error',
  'database_unreachable',
  'database_permission',
  'migration_failed',
  'migration_drift',
  'refused',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class TenantryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TenantryError';
  }
}

/** Too many requests: answered `429 rate_limited` with `Retry-After` (seconds). */
export class RateLimited extends TenantryError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}

/**
 * The SQLSTATE of a driver error, when there is one. pg and PGlite set `code`; Drizzle wraps
 * the driver's error and keeps it as `cause`, so the chain is followed.
 */
export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    if ('code' in current && typeof current.code === 'string' && /^[0-9A-Z]{5}$/.test(current.code)) return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}
