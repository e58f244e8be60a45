/**
 * `npm start`: prepares the database on first run (migrate and demo data), then serves the API
 * and the web app. With no DATABASE_URL everything runs on the embedded PGlite in ./.data. On
 * PostgreSQL a database that is behind is refused with the command to run (see prepareToServe).
 *
 * On PostgreSQL it serves from WEB_CONCURRENCY processes (node:cluster, one port; default: one
 * per core): this process prepares the database and the generated secrets once, then forks the
 * servers, replaces one that dies, and on SIGTERM or SIGINT lets every one drain before it exits.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { createAuth } from './auth/auth.js';
import { loadAuthSecret } from './auth/secret.js';
import { prepareToServe } from './cli/commands/db-init.js';
import { type AppConfig, ConfigError, loadConfig } from './config.js';
import { loadMasterKey } from './crypto/master-key.js';
import { openDatabase } from './db/connection.js';
import { TenantryError } from './errors.js';
import { createLiveHub } from './features/live-events/hub.js';
import { seatsJobHandler } from './features/billing/seats.js';
import { scheduledChangeJobHandler } from './features/subscriptions/scheduled-change.js';
import { digestJobHandler } from './features/notifications/digest.js';
import { createApp } from './http/app.js';
import { createLogger } from './http/logger.js';
import { listenForSessionEvents } from './http/session-events.js';
import { webhookJobHandler } from './features/webhooks/delivery.js';
import { startWebhookDispatcher } from './features/webhooks/dispatcher.js';
import { startJobWorker } from './jobs/worker.js';
import { startReservationSweep } from './features/ai-generate/stale-reservations.js';
import { mailJobHandler } from './mail/handler.js';
import { mailTransportFor } from './mail/transport.js';
import { createOutboundFetch } from './net/outbound-guard.js';
import { retentionDays, startPurgeSchedule } from './purge/index.js';
import { LocalDiskBlobStore } from './storage/local-disk.js';

/** How long a draining server may take before it is stopped anyway. */
const DRAIN_MS = 10_000;
/** Set for the one forked server that also runs the daily purge. */
const SCHEDULER_ENV = 'TENANTRY_RUNS_SCHEDULES';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger();
  if (cluster.isWorker) {
    await serveHere(config, logger, { schedules: process.env[SCHEDULER_ENV] === '1', announce: false });
    return;
  }
  // A bad retention period stops start-up here, not the first restore or the daily purge.
  retentionDays();
  const processes = serverProcesses(config, logger);
  await prepareToServe(config, { seed: config.nodeEnv !== 'production' });
  describeMail(config, logger);
  if (processes === 1) {
    await serveHere(config, logger, { schedules: true, announce: true });
    return;
  }
  // Generated secrets are written to the data folder here, once, so every server reads the same.
  loadAuthSecret(config, (line) => logger.warn(line));
  loadMasterKey({ env: process.env, dataDir: config.dataDir, nodeEnv: config.nodeEnv, warn: (line) => logger.warn(line) });
  superviseServers(config, logger, processes);
}

/** WEB_CONCURRENCY, or one per core; always 1 on PGlite, which one process owns. */
function serverProcesses(config: AppConfig, logger: Logger): number {
  if (config.database.kind === 'pglite') {
    if ((config.webConcurrency ?? 1) > 1) {
      logger.warn(`WEB_CONCURRENCY=${config.webConcurrency} ignored: the embedded PGlite belongs to a single process; serving from 1 (set DATABASE_URL for more)`);
    }
    return 1;
  }
  return config.webConcurrency ?? availableParallelism();
}

/** Opens the database and serves on the configured port until SIGTERM or SIGINT, then drains. */
async function serveHere(config: AppConfig, logger: Logger, options: { schedules: boolean; announce: boolean }): Promise<void> {
  // Only the process that prepared the secrets says where they came from.
  const warn = options.announce ? (line: string) => logger.warn(line) : () => undefined;
  // PGlite allows one process at a time, so the server opens it only after init has closed it.
  const db = await openDatabase(config.database, { maxConnections: 20 });
  // Sign-outs made through other server processes, here or on other machines (PostgreSQL only).
  const sessionEvents = config.migrationDatabase.kind === 'postgres' ? listenForSessionEvents(config.migrationDatabase.url, logger) : undefined;
  const auth = createAuth({ db, secret: loadAuthSecret(config, warn), baseUrl: config.baseUrl, mail: config.mail.kind !== 'off' });
  const masterKey = loadMasterKey({ env: process.env, dataDir: config.dataDir, nodeEnv: config.nodeEnv, warn });
  // Live events (src/features/live-events): LISTEN on the direct connection, which a transaction-mode pooler is not.
  const liveEvents = createLiveHub(db, {
    onError: (error) => logger.warn({ err: error }, 'live events: replay or pruning failed'),
    ...(config.migrationDatabase.kind === 'postgres' ? { listenUrl: config.migrationDatabase.url } : {}),
  });
  const app = createApp({ db, auth, logger, masterKey, dataDir: config.dataDir, trustedProxies: config.trustedProxies, billing: config.billing, outbound: config.outbound, sessionEvents, liveEvents });
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    if (options.announce) announce(config, info.port);
  });
  const stopPurge = options.schedules ? startPurgeSchedule(db, logger, undefined, { blobStore: new LocalDiskBlobStore(join(config.dataDir, 'blobs')) }) : () => undefined;
  // AI token reservations that a crashed process never settled go back to the budget.
  const stopSweep = options.schedules ? startReservationSweep(db, logger) : () => undefined;
  // The job queue's worker (src/jobs), in every server process: jobs are claimed with SKIP
  // LOCKED, so they share the work. Mail now; later kinds add their handler here.
  const mailTransport = mailTransportFor(config.mail);
  // Webhook events are fanned out when their NOTIFY is heard (and every 30 s in any case), not
  // looked for on every pass; LISTEN on the direct connection, like the live events.
  const webhookDispatcher = startWebhookDispatcher(db, config.migrationDatabase.kind === 'postgres' ? { listenUrl: config.migrationDatabase.url } : {});
  const jobs = startJobWorker(db, logger, [
    ...(mailTransport && config.mail.kind !== 'off' ? [mailJobHandler(mailTransport, config.mail.from)] : []),
    // Digests queue their mail like any other sender: it waits in the queue while mail is off.
    digestJobHandler(db, config.baseUrl),
    // Outgoing webhooks, through the outbound guard (OUTBOUND_ALLOW_PRIVATE).
    webhookJobHandler({ db, masterKey, send: createOutboundFetch(config.outbound), baseUrl: config.baseUrl, dispatcher: webhookDispatcher }),
    // Stripe seats follow members, and plan changes wait for the period end; BILLING_MODE=none charges nothing.
    seatsJobHandler(db, config.billing),
    scheduledChangeJobHandler(db),
  ]);

  let draining = false;
  const shutdown = (signal: string) => {
    // A terminal's Ctrl-C reaches a forked server twice (from the terminal and from the
    // supervisor); the second must not kill it mid-drain.
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'draining in-flight requests');
    stopPurge();
    stopSweep();
    // Open event streams would hold server.close() until the timeout below: end them first.
    void liveEvents.close();
    // close() stops accepting connections and calls back once open requests have finished; the
    // worker finishes the job in hand (an unfinished one is taken up again after its lease).
    server.close(() => {
      void jobs
        .stop()
        .then(() => mailTransport?.close())
        .then(() => webhookDispatcher.close())
        .then(() => Promise.all([db.close(), sessionEvents?.close()]))
        .finally(() => logger.flush(() => process.exit(0)));
    });
    setTimeout(() => process.exit(1), DRAIN_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Says once, from the process that prepared the database, which mail features work. */
function describeMail(config: AppConfig, logger: Logger): void {
  if (config.mail.kind === 'off') {
    logger.warn('SMTP_URL is not set: no mail is sent. Off: invitation emails, email verification and password reset emails. Invitations still work from the invitee\'s list (GET /api/v1/me/invitations); queued mail waits until SMTP_URL is set.');
  } else if (config.mail.kind === 'outbox') {
    console.log(`  Mail: no SMTP_URL, so mail is written to ${config.mail.dir} and its links are printed here`);
  }
}

function announce(config: AppConfig, port: number, processes = 1): void {
  console.log(`\nTenantry is running on ${config.baseUrl.replace(String(config.port), String(port))}${processes > 1 ? ` (${processes} server processes)` : ''}`);
  console.log(`  API reference: ${config.baseUrl}/docs   OpenAPI: ${config.baseUrl}/openapi.json`);
}

/**
 * Forks `processes` servers sharing the port and keeps that many running. A signal is passed on
 * to every server, each drains its own requests, and this process exits when the last has gone
 * (non-zero if any had to be stopped before it finished).
 */
function superviseServers(config: AppConfig, logger: Logger, processes: number): void {
  let stopping = false;
  let failed = false;
  let listening = 0;
  const running = new Set<Worker>();
  let scheduler: Worker | undefined;
  const fork = (schedules: boolean) => {
    const worker = cluster.fork(schedules ? { [SCHEDULER_ENV]: '1' } : {});
    running.add(worker);
    if (schedules) scheduler = worker;
  };
  cluster.on('listening', () => {
    listening++;
    if (listening === processes) announce(config, config.port, processes);
  });
  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    if (code !== 0) failed = true;
    if (stopping) {
      if (running.size === 0) logger.flush(() => process.exit(failed ? 1 : 0));
      return;
    }
    // One that could not even start (a taken port, a bad setting) would fail the same way again.
    if (listening === 0) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a server process failed to start; stopping');
      stopping = true;
      for (const other of running) other.process.kill('SIGTERM');
      if (running.size === 0) logger.flush(() => process.exit(1));
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'a server process exited; starting another');
    fork(worker === scheduler);
  });
  for (let i = 0; i < processes; i++) fork(i === 0);

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes }, 'stopping: every server process drains its requests');
    for (const worker of running) worker.process.kill(signal);
    // A server past its own drain limit exits non-zero by itself; this is the backstop.
    setTimeout(() => process.exit(1), DRAIN_MS + 2_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const known = error instanceof TenantryError || error instanceof ConfigError;
  console.error(`tenantry: ${known ? error.message : `failed to start: ${String(error)}`}`);
  process.exit(1);
});
