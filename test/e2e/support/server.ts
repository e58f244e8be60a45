import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase, ensureDatabaseExists } from '../../../src/db/admin.js';
import { startServerProcess } from '../../support/server-process.js';

export type E2EServer = { baseUrl: string; engine: 'pglite' | 'postgres'; output(): string; destroy(): Promise<void> };

/**
 * `npm start` as a child process with the demo data: on PGlite by default, on a fresh
 * PostgreSQL database of its own when DATABASE_URL (or TEST_DATABASE_URL) is set. `env` adds
 * to the server's environment (OUTBOUND_ALLOW_PRIVATE for a local test double, say).
 */
export async function startE2EServer(env: Record<string, string> = {}): Promise<E2EServer> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
  let databaseUrl: string | undefined;
  if (serverUrl) {
    const url = new URL(serverUrl);
    url.pathname = `/tenantry_e2e_${randomBytes(6).toString('hex')}`;
    databaseUrl = url.toString();
    await ensureDatabaseExists(databaseUrl);
  }
  const webDist = snapshotWebDist();
  const server = await startServerProcess({ databaseUrl, readyTimeoutMs: 180_000, env: { ...env, TENANTRY_WEB_DIST: webDist } }).catch(async (error: unknown) => {
    rmSync(webDist, { recursive: true, force: true });
    if (databaseUrl) await dropDatabase(databaseUrl);
    throw error;
  });
  return {
    baseUrl: server.baseUrl,
    engine: databaseUrl ? 'postgres' : 'pglite',
    output: () => server.output(),
    destroy: async () => {
      await server.destroy();
      rmSync(webDist, { recursive: true, force: true });
      if (databaseUrl) await dropDatabase(databaseUrl);
    },
  };
}

const builtDist = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'web', 'dist');

/**
 * A private copy of web/dist (built by the global setup), so another build in the shared working
 * tree during the run cannot swap the app under test. Retried while a build is mid-write.
 */
function snapshotWebDist(): string {
  for (let attempt = 0; ; attempt++) {
    const copy = mkdtempSync(join(tmpdir(), 'tenantry-web-dist-'));
    cpSync(builtDist, copy, { recursive: true });
    const index = existsSync(join(copy, 'index.html')) ? readFileSync(join(copy, 'index.html'), 'utf8') : '';
    const assets = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]!);
    if (assets.length > 0 && assets.every((asset) => existsSync(join(copy, asset)))) return copy;
    rmSync(copy, { recursive: true, force: true });
    if (attempt >= 5) throw new Error('web/dist is not a complete build: run npm run build:web');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
  }
}
