import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabaseExists } from '../../../src/db/admin.js';
import { startServerProcess } from '../../support/server-process.js';

export type E2EServer = { baseUrl: string; engine: 'pglite' | 'postgres'; output(): string; destroy(): Promise<void> };

/**
 * `npm start` as a child process with the demo data: on PGlite by default, on a fresh
 * PostgreSQL database of its own when DATABASE_URL (or TEST_DATABASE_URL) is set.
 */
export async function startE2EServer(): Promise<E2EServer> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
  let databaseUrl: string | undefined;
  if (serverUrl) {
    const url = new URL(serverUrl);
    url.pathname = `/tenantry_e2e_${randomBytes(6).toString('hex')}`;
    databaseUrl = url.toString();
    await ensureDatabaseExists(databaseUrl);
  }
  const server = await startServerProcess({ databaseUrl, readyTimeoutMs: 180_000 }).catch(async (error: unknown) => {
    if (databaseUrl) await dropDatabase(databaseUrl);
    throw error;
  });
  return {
    baseUrl: server.baseUrl,
    engine: databaseUrl ? 'postgres' : 'pglite',
    output: () => server.output(),
    destroy: async () => {
      await server.destroy();
      if (databaseUrl) await dropDatabase(databaseUrl);
    },
  };
}
