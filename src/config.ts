import type { BlockList } from 'node:net';
import { z } from 'zod';
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
});

export type AppConfig = {
  /** `postgres` when DATABASE_URL is set, otherwise the embedded PGlite default. */
  database: { kind: 'postgres'; url: string; preparedStatements?: boolean } | { kind: 'pglite'; dataDir: string };
  /** Where migrations run: DATABASE_DIRECT_URL when set (a pooler cannot hold their advisory lock), else `database`. */
  migrationDatabase: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  /** Peers whose X-Forwarded-For names the client (see src/http/client-address.ts). */
  trustedProxies: BlockList;
  dataDir: string;
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  authSecret: string | null;
  baseUrl: string;
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
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const { DATABASE_URL, DATABASE_DIRECT_URL, TENANTRY_DATA_DIR, NODE_ENV, PORT, BETTER_AUTH_SECRET, BASE_URL, DATABASE_PREPARED_STATEMENTS, TRUSTED_PROXIES } =
    parsed.data;
  const pglite = { kind: 'pglite', dataDir: `${TENANTRY_DATA_DIR}/pglite` } as const;
  return {
    database: DATABASE_URL ? { kind: 'postgres', url: DATABASE_URL, preparedStatements: DATABASE_PREPARED_STATEMENTS === 'on' } : pglite,
    migrationDatabase: DATABASE_URL ? { kind: 'postgres', url: DATABASE_DIRECT_URL ?? DATABASE_URL } : pglite,
    trustedProxies: TRUSTED_PROXIES,
    dataDir: TENANTRY_DATA_DIR,
    nodeEnv: NODE_ENV,
    port: PORT,
    authSecret: BETTER_AUTH_SECRET ?? null,
    baseUrl: BASE_URL ?? `http://localhost:${PORT}`,
  };
}
