import { z } from 'zod';

/** Environment the whole process reads once; a bad value stops start-up with one line. */
const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  TENANTRY_DATA_DIR: z.string().min(1).default('.data'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
});

export type AppConfig = {
  /** `postgres` when DATABASE_URL is set, otherwise the embedded PGlite default. */
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  dataDir: string;
  nodeEnv: 'development' | 'test' | 'production';
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse({
    ...env,
    // An empty variable means "not set", as it does to most shells and tools.
    DATABASE_URL: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const { DATABASE_URL, TENANTRY_DATA_DIR, NODE_ENV } = parsed.data;
  return {
    database: DATABASE_URL
      ? { kind: 'postgres', url: DATABASE_URL }
      : { kind: 'pglite', dataDir: `${TENANTRY_DATA_DIR}/pglite` },
    dataDir: TENANTRY_DATA_DIR,
    nodeEnv: NODE_ENV,
  };
}
