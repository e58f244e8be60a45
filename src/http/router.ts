import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../db/connection.js';
import { sentValue } from '../db/timestamp-text.js';
import type { LiveHub } from '../features/live-events/hub.js';
import type { BillingConfig } from '../features/billing/config.js';
import { TenantryError } from '../errors.js';
import type { AiCallSettings } from '../features/ai-generate/call-settings.js';
import type { AppEnv } from './env.js';

/** What feature routers are built from. */
export type RouterDeps = {
  db: Database;
  /** Wraps and unwraps each organization's data key (src/crypto). */
  masterKey: Buffer;
  /** Where local files (uploaded assets) live. */
  dataDir: string;
  /** The process's live event fan-out (one LISTEN connection); made on first use when omitted. */
  liveEvents?: LiveHub;
  /** How long an event stream trusts its member's membership and role before asking again (5 s when absent). */
  liveMembershipTtlMs?: number;
  /** How plans are paid for (BILLING_MODE); `none` when absent. */
  billing?: BillingConfig;
  /** The public origin (BASE_URL), for links in mail. */
  baseUrl: string;
  /** OUTBOUND_ALLOW_PRIVATE: whether tenant-supplied URLs (AI base URLs) may reach private addresses. */
  outbound: { allowPrivate: boolean };
  /** How model calls are made (timeouts and retries); the defaults in src/features/ai-generate when absent. */
  ai?: AiCallSettings;
};

const TARGETS: Record<string, string> = { json: 'body', form: 'body', param: 'path', query: 'query', header: 'header' };

/**
 * A router whose zod validation failures become our 400 body, naming every offending field.
 * Every feature builds its routes on one of these.
 */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        // Hono calls the body target `json`; "invalid json" would read as a syntax error, which is invalid_json.
        const where = TARGETS[result.target] ?? result.target;
        throw new TenantryError('validation_failed', `invalid ${where}: ${fields.map((f) => f.path || `(${where})`).join(', ')}`, fields);
      }
      return undefined;
    },
  });
}

/** Dates become ISO strings, as JSON.stringify would write them, so types match the wire. */
export type Serialized<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export function serialize<T extends object>(row: T): Serialized<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = sentValue(value);
  // Built key by key from `row`, with exactly the conversion the type describes.
  return out as Serialized<T>;
}
