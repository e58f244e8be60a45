/**
 * `npm start`: prepares the database on first run (migrate and demo data), then serves the API
 * and the web app. With no DATABASE_URL everything runs on the embedded PGlite in ./.data. On
 * PostgreSQL a database that is behind is refused with the command to run (see prepareToServe).
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createAuth } from './auth/auth.js';
import { loadAuthSecret } from './auth/secret.js';
import { prepareToServe } from './cli/commands/db-init.js';
import { ConfigError, loadConfig } from './config.js';
import { loadMasterKey } from './crypto/master-key.js';
import { openDatabase } from './db/connection.js';
import { TenantryError } from './errors.js';
import { createApp } from './http/app.js';
import { createLogger } from './http/logger.js';
import { retentionDays, startPurgeSchedule } from './purge/index.js';
import { LocalDiskBlobStore } from './storage/local-disk.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger();
  // A bad retention period stops start-up here, not the first restore or the daily purge.
  retentionDays();
  await prepareToServe(config, { seed: config.nodeEnv !== 'production' });

  // PGlite allows one process at a time, so the server opens it only after init has closed it.
  const db = await openDatabase(config.database, { maxConnections: 20 });
  const auth = createAuth({ db, secret: loadAuthSecret(config, (line) => logger.warn(line)), baseUrl: config.baseUrl });
  const masterKey = loadMasterKey({ env: process.env, dataDir: config.dataDir, nodeEnv: config.nodeEnv, warn: (line) => logger.warn(line) });
  const app = createApp({ db, auth, logger, masterKey, dataDir: config.dataDir, trustedProxies: config.trustedProxies });
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    console.log(`\nTenantry is running on ${config.baseUrl.replace(String(config.port), String(info.port))}`);
    console.log(`  API reference: ${config.baseUrl}/docs   OpenAPI: ${config.baseUrl}/openapi.json`);
  });

  const stopPurge = startPurgeSchedule(db, logger, undefined, { blobStore: new LocalDiskBlobStore(join(config.dataDir, 'blobs')) });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'draining in-flight requests');
    stopPurge();
    // close() stops accepting connections and calls back once open requests have finished.
    server.close(() => {
      void db.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const known = error instanceof TenantryError || error instanceof ConfigError;
  console.error(`tenantry: ${known ? error.message : `failed to start: ${String(error)}`}`);
  process.exit(1);
});
