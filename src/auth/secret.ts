import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config.js';
import { TenantryError } from '../errors.js';

/**
 * BETTER_AUTH_SECRET when set; outside production, a secret generated once into the data
 * folder so sessions survive restarts of the embedded default.
 */
export function loadAuthSecret(config: AppConfig, warn: (line: string) => void): string {
  if (config.authSecret) return config.authSecret;
  if (config.nodeEnv === 'production') {
    throw new TenantryError('refused', 'BETTER_AUTH_SECRET is not set; production never generates its own (openssl rand -base64 32)');
  }
  const path = join(config.dataDir, 'auth.secret');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(path, secret, { mode: 0o600 });
    warn(`BETTER_AUTH_SECRET is not set: generated one into ${path}`);
    return secret;
  }
}
