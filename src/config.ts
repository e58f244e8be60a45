import type { BlockList } from 'node:net';
import { z } from 'zod';
import type { BillingConfig } from './features/billing/config.js';
import { parseTrustedProxies } from './http/client-address.js';

/** Environment the whole process reads once; a bad value stops start-up with one line. */
const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** A direct (session-mode) connection for migrations, when DATABASE_URL goes through a transaction-mode pooler. */
  DATABASE_DIRECT_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  TENANTRY_DATA_DIR: z.string().min(1).default('.data'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Signs session cookies and tokens; generated into the data folder outside production. */
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The public origin, for auth callbacks and cookies. */
  BASE_URL: z.url().optional(),
  /** `off` behind a transaction-mode pooler that cannot carry named statements (PgBouncer < 1.21). */
  DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  /** Outgoing mail server (`smtp://user:pass@host:587`, `smtps://…:465`); unset means the outbox folder (not in production). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  /** The sender of every mail: an address, or `Name <address>`. */
  MAIL_FROM: z.string().min(3).default('Tenantry <no-reply@tenantry.invalid>'),
  /** Server processes on one port (PostgreSQL only); unset means one per core. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Proxies whose X-Forwarded-For is believed: addresses or CIDRs, comma-separated; none by default. */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list, ctx) => {
      try {
        return parseTrustedProxies(list);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  /** `none` (the self-hosted default: owners change plan, nothing is charged) or `stripe`. */
  BILLING_MODE: z.enum(['none', 'stripe']).default('none'),
  /** Stripe's secret API key (`sk_…`); required with BILLING_MODE=stripe. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** The webhook endpoint's signing secret (`whsec_…`); required with BILLING_MODE=stripe. */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Another Stripe API origin (a local stripe-mock); Stripe's own when unset. */
  STRIPE_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** `true` lets webhooks and AI base URLs reach loopback and private addresses (src/net/outbound-guard.ts). */
  OUTBOUND_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
});

export type AppConfig = {
  /** `postgres` when DATABASE_URL is set, otherwise the embedded PGlite default. */
  database: { kind: 'postgres'; url: string; preparedStatements?: boolean } | { kind: 'pglite'; dataDir: string };
  /** Where migrations run: DATABASE_DIRECT_URL when set (a pooler cannot hold their advisory lock), else `database`. */
  migrationDatabase: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  /** Peers whose X-Forwarded-For names the client (see src/http/client-address.ts). */
  trustedProxies: BlockList;
  /** WEB_CONCURRENCY as given; null when unset (src/main.ts picks one process per core). */
  webConcurrency: number | null;
  dataDir: string;
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  authSecret: string | null;
  baseUrl: string;
  /** Where mail goes: an SMTP server, the outbox folder (embedded default), or nowhere (production without SMTP_URL). */
  mail: { kind: 'smtp'; url: string; from: string } | { kind: 'outbox'; dir: string; from: string } | { kind: 'off' };
  billing: BillingConfig;
  /** Requests to tenant-supplied URLs: private and loopback addresses only with OUTBOUND_ALLOW_PRIVATE=true. */
  outbound: { allowPrivate: boolean };
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse({
    ...env,
    // An empty variable means "not set", as it does to most shells and tools.
    DATABASE_URL: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET === '' ? undefined : env.BETTER_AUTH_SECRET,
    BASE_URL: env.BASE_URL === '' ? undefined : env.BASE_URL,
    DATABASE_DIRECT_URL: env.DATABASE_DIRECT_URL === '' ? undefined : env.DATABASE_DIRECT_URL,
    SMTP_URL: env.SMTP_URL === '' ? undefined : env.SMTP_URL,
    MAIL_FROM: env.MAIL_FROM === '' ? undefined : env.MAIL_FROM,
    WEB_CONCURRENCY: env.WEB_CONCURRENCY === '' ? undefined : env.WEB_CONCURRENCY,
    STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY === '' ? undefined : env.STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET === '' ? undefined : env.STRIPE_WEBHOOK_SECRET,
    STRIPE_API_URL: env.STRIPE_API_URL === '' ? undefined : env.STRIPE_API_URL,
    OUTBOUND_ALLOW_PRIVATE: env.OUTBOUND_ALLOW_PRIVATE === '' ? undefined : env.OUTBOUND_ALLOW_PRIVATE,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const { DATABASE_URL, DATABASE_DIRECT_URL, TENANTRY_DATA_DIR, NODE_ENV, PORT, BETTER_AUTH_SECRET, BASE_URL, DATABASE_PREPARED_STATEMENTS, TRUSTED_PROXIES, SMTP_URL, MAIL_FROM, WEB_CONCURRENCY } =
    parsed.data;
  const billing = billingConfig(parsed.data, BASE_URL ?? `http://localhost:${PORT}`);
  const pglite = { kind: 'pglite', dataDir: `${TENANTRY_DATA_DIR}/pglite` } as const;
  return {
    database: DATABASE_URL ? { kind: 'postgres', url: DATABASE_URL, preparedStatements: DATABASE_PREPARED_STATEMENTS === 'on' } : pglite,
    migrationDatabase: DATABASE_URL ? { kind: 'postgres', url: DATABASE_DIRECT_URL ?? DATABASE_URL } : pglite,
    trustedProxies: TRUSTED_PROXIES,
    webConcurrency: WEB_CONCURRENCY ?? null,
    dataDir: TENANTRY_DATA_DIR,
    nodeEnv: NODE_ENV,
    port: PORT,
    authSecret: BETTER_AUTH_SECRET ?? null,
    baseUrl: BASE_URL ?? `http://localhost:${PORT}`,
    mail: SMTP_URL
      ? { kind: 'smtp', url: SMTP_URL, from: MAIL_FROM }
      : NODE_ENV === 'production'
        ? { kind: 'off' }
        : { kind: 'outbox', dir: `${TENANTRY_DATA_DIR}/outbox`, from: MAIL_FROM },
    billing,
    outbound: { allowPrivate: parsed.data.OUTBOUND_ALLOW_PRIVATE === 'true' },
  };
}

/** Stripe's keys are needed only in stripe mode, and then both of them. */
function billingConfig(
  env: Pick<z.infer<typeof EnvSchema>, 'BILLING_MODE' | 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_URL'>,
  returnBaseUrl: string,
): BillingConfig {
  const { BILLING_MODE, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_URL } = env;
  const api = STRIPE_API_URL ? new URL(STRIPE_API_URL) : undefined;
  const stripe =
    STRIPE_SECRET_KEY && STRIPE_WEBHOOK_SECRET
      ? {
          secretKey: STRIPE_SECRET_KEY,
          webhookSecret: STRIPE_WEBHOOK_SECRET,
          returnBaseUrl,
          ...(api
            ? { api: { host: api.hostname, port: Number(api.port || (api.protocol === 'https:' ? 443 : 80)), protocol: api.protocol === 'https:' ? ('https' as const) : ('http' as const) } }
            : {}),
        }
      : undefined;
  if (BILLING_MODE === 'none') return stripe ? { mode: 'none', stripe } : { mode: 'none' };
  if (!stripe) throw new ConfigError(`${STRIPE_SECRET_KEY ? 'STRIPE_WEBHOOK_SECRET' : 'STRIPE_SECRET_KEY'}: required with BILLING_MODE=stripe`);
  return { mode: 'stripe', stripe };
}
