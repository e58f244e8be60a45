import type { Database } from '../db/connection.js';

export type SeedSummary = {
  organizations: number;
  logins: { email: string; password: string; role: string; organization: string }[];
  rows: Record<string, number>;
};

/** Placeholder replaced by the real demo seed. */
export async function seedDemo(_db: Database, _options: { production: boolean }): Promise<SeedSummary> {
  return { organizations: 0, logins: [], rows: {} };
}
