import { TenantryError } from '../errors.js';

/** How long a soft-deleted row can be restored before `tenantry db purge` removes it for good. */
export const DEFAULT_RETENTION_DAYS = 30;

/**
 * `TENANTRY_RETENTION_DAYS` (whole days, 1 to 3650), read when needed so the CLI, the server and
 * tests all see the same rule; a bad value is one clear error naming the variable.
 */
export function retentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TENANTRY_RETENTION_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > 3650) {
    throw new TenantryError('bad_request', `TENANTRY_RETENTION_DAYS must be a whole number of days from 1 to 3650, not "${raw}"`);
  }
  return days;
}
