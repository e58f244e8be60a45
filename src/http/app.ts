import { BlockList } from 'node:net';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import type { Logger } from 'pino';
import type { Auth } from '../auth/auth.js';
import { handleAuthRequest } from '../auth/auth-trail.js';
import { migrationStatus } from '../db/migrator/runner.js';
import { TenantryError } from '../errors.js';
import { tenantFeatureRoutes } from '../features/index.js';
import { clientAddress } from './client-address.js';
import { docsRoutes } from './docs.js';
import { handleError } from './errors.js';
import { limitJsonShape } from './json-shape.js';
import { notFoundOrMethodNotAllowed } from './method-not-allowed.js';
import { apiDocument } from './openapi-document.js';
import { rejectNulCharacters } from './reject-nul.js';
import { createSessionCache } from './session-cache.js';
import { requestContext } from './request-context.js';
import { type RouterDeps, newRouter } from './router.js';
import { tenantScope } from './tenant-scope.js';
import { webRoutes } from './web.js';

export type AppDeps = RouterDeps & {
  auth: Auth;
  logger: Logger;
  maxBodyBytes?: number;
  /** How long a resolved session is reused (see session-cache.ts); 0 asks Better Auth every time. */
  sessionCacheMs?: number;
  /** Peers whose X-Forwarded-For names the client (TRUSTED_PROXIES); none by default. */
  trustedProxies?: BlockList;
};

/** Assembles the whole HTTP surface; tests call `app.request(...)` on it without a server. */
export function createApp({ db, auth, logger, masterKey, dataDir, maxBodyBytes = 1_048_576, sessionCacheMs, trustedProxies = new BlockList() }: AppDeps) {
  const app = newRouter();
  const sessions = createSessionCache(auth, { ttlMs: sessionCacheMs });
  app.use('*', requestContext(logger));
  app.use('*', clientAddress(trustedProxies));
  // A body refused before it was read (413) leaves the rest of it in the connection; the server
  // then drops the socket, and a request the client had pipelined behind it would be lost
  // unannounced. Saying so lets the client open a new connection and send it again.
  app.use('*', async (c, next) => {
    await next();
    if (c.res.status === 413) c.header('connection', 'close');
  });
  app.onError(handleError);
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  // JSON bodies are small; uploads stream to disk under their own, larger limit (project-assets).
  const jsonBodyLimit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new TenantryError('payload_too_large', `request bodies are limited to ${maxBodyBytes} bytes`);
    },
  });
  app.use('/api/*', except((c) => isAssetUpload(c.req.method, c.req.path), jsonBodyLimit));
  app.use('/api/*', rejectNulCharacters());
  app.use('/api/*', limitJsonShape());

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const states = await migrationStatus(db).catch(() => null);
    const pending = states?.filter((s) => s.status !== 'applied') ?? null;
    const ready = pending !== null && pending.length === 0;
    return c.json({ status: ready ? 'ready' : 'not_ready', database: pending !== null, migrationsCurrent: ready }, ready ? 200 : 503);
  });

  app.on(['GET', 'POST'], '/api/auth/*', async (c) => {
    const response = await handleAuthRequest(c, auth, db);
    // Sign-out, revocation, bans, password changes: anything but signing in may end a session.
    if (c.req.method === 'POST' && !SIGNING_IN.test(c.req.path)) sessions.clear();
    return response;
  });

  // Resolve the session once; tenant routes require it, public routes ignore it.
  app.use('/api/v1/*', async (c, next) => {
    c.set('userId', await sessions.userIdOf(c.req.raw.headers));
    await next();
  });
  app.use('/api/v1/orgs/:orgId/*', tenantScope(db));
  app.use('/api/v1/orgs/:orgId', tenantScope(db));
  for (const routes of tenantFeatureRoutes({ db, masterKey, dataDir })) app.route('/api/v1', routes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.get('/openapi.json', async (c) => c.json(await apiDocument(app, auth)));
  app.route('/', docsRoutes());
  app.route('/', webRoutes());
  return app;
}

export type App = ReturnType<typeof createApp>;

const SIGNING_IN = /\/(sign-in|sign-up)\/[^/]+$/;
const ASSET_UPLOAD = /^\/api\/v1\/orgs\/[^/]+\/projects\/[^/]+\/assets\/?$/;
function isAssetUpload(method: string, path: string): boolean {
  return method === 'POST' && ASSET_UPLOAD.test(path);
}
