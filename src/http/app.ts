import { BlockList } from 'node:net';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import type { Auth } from '../auth/auth.js';
import { handleAuthRequest } from '../auth/auth-trail.js';
import { migrationStatus } from '../db/migrator/runner.js';
import { TenantryError } from '../errors.js';
import { tenantFeatureRoutes } from '../features/index.js';
import { clientAddress } from './client-address.js';
import { docsRoutes } from './docs.js';
import type { AppEnv } from './env.js';
import { handleError } from './errors.js';
import { checkJsonBodies, limitBodySize } from './json-body.js';
import { notFoundOrMethodNotAllowed } from './method-not-allowed.js';
import { apiDocument } from './openapi-document.js';
import { CHECKS_MEMBERSHIP_ITSELF } from './openapi.js';
import { type SessionCache, createSessionCache } from './session-cache.js';
import type { SessionEvents } from './session-events.js';
import { requestContext } from './request-context.js';
import { NO_BILLING } from '../features/billing/config.js';
import { type RouterDeps, newRouter } from './router.js';
import { tenantScope } from './tenant-scope.js';
import { webRoutes } from './web.js';

export type AppDeps = Omit<RouterDeps, 'baseUrl' | 'outbound'> & {
  /** OUTBOUND_ALLOW_PRIVATE; private addresses refused when absent. */
  outbound?: RouterDeps['outbound'];
  auth: Auth;
  logger: Logger;
  maxBodyBytes?: number;
  /** How long a resolved session is reused (see session-cache.ts); 0 asks Better Auth every time. */
  sessionCacheMs?: number;
  /** Peers whose X-Forwarded-For names the client (TRUSTED_PROXIES); none by default. */
  trustedProxies?: BlockList;
  /** Sign-outs heard from other server processes (session-events.ts); without it only this process's own count. */
  sessionEvents?: SessionEvents;
};

/** Assembles the whole HTTP surface; tests call `app.request(...)` on it without a server. */
export function createApp({ db, auth, logger, masterKey, dataDir, liveEvents, liveMembershipTtlMs, billing = NO_BILLING, outbound = { allowPrivate: false }, ai, maxBodyBytes = 1_048_576, sessionCacheMs, trustedProxies = new BlockList(), sessionEvents }: AppDeps) {
  const app = newRouter();
  const sessions = createSessionCache(auth, { ttlMs: sessionCacheMs, events: sessionEvents });
  for (const { path, handler } of edgeMiddleware({ logger, trustedProxies, maxBodyBytes, sessions })) app.use(path, handler);
  app.onError(handleError);
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));

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
    if (c.req.method === 'POST' && !SIGNING_IN.test(c.req.path)) await sessions.forgetAll();
    return response;
  });

  const checkingMembership = new Set<string>();
  const scope = tenantScope(db);
  // A plain function, not hono/combine's `except`: that wraps the check in three async layers,
  // six promises on every tenant request, each running the promise hooks (see the session step).
  const scopeUnlessChecked: MiddlewareHandler<AppEnv> = (c, next) => (checkingMembership.has(matchedRouteKey(c)) ? next() : scope(c, next));
  app.use('/api/v1/orgs/:orgId/*', scopeUnlessChecked);
  app.use('/api/v1/orgs/:orgId', scope);
  const baseUrl = publicOrigin(auth);
  for (const routes of tenantFeatureRoutes({ db, masterKey, dataDir, liveEvents, liveMembershipTtlMs, billing, baseUrl, outbound, ...(ai ? { ai } : {}) })) app.route('/api/v1', routes);
  for (const key of routesCheckingMembership(app)) checkingMembership.add(key);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.get('/openapi.json', async (c) => c.json(await apiDocument(app, auth)));
  app.route('/', docsRoutes());
  app.route('/', webRoutes());
  return app;
}

export type App = ReturnType<typeof createApp>;

/** One middleware in front of the routes, named so that bench/middleware.ts can price it alone. */
export type EdgeMiddleware = { name: string; path: string; handler: MiddlewareHandler<AppEnv> };

/** Everything a request passes before its route, in order; createApp mounts exactly this list. */
export function edgeMiddleware({
  logger,
  trustedProxies,
  maxBodyBytes,
  sessions,
}: {
  logger: Logger;
  trustedProxies: BlockList;
  maxBodyBytes: number;
  sessions: SessionCache;
}): EdgeMiddleware[] {
  const tooLarge = () => {
    throw new TenantryError('payload_too_large', `request bodies are limited to ${maxBodyBytes} bytes`);
  };
  return [
    { name: 'request id and access log', path: '*', handler: requestContext(logger) },
    { name: 'client address', path: '*', handler: clientAddress(trustedProxies) },
    // A body refused before it was read (413) leaves the rest of it in the connection; the server
    // then drops the socket, and a request the client had pipelined behind it would be lost
    // unannounced. Saying so lets the client open a new connection and send it again.
    {
      name: 'close after 413',
      path: '*',
      // Not async: one promise (the `then`) where an async function and its await make two.
      handler: (c, next) =>
        next().then(() => {
          if (c.res.status === 413) c.header('connection', 'close');
        }),
    },
    // JSON bodies are small; uploads stream to disk under their own, larger limit (project-assets).
    { name: 'body limit', path: '/api/*', handler: limitBodySize(maxBodyBytes, tooLarge, (c) => isAssetUpload(c.req.method, c.req.path)) },
    { name: 'JSON body checks (NUL, shape)', path: '/api/*', handler: checkJsonBodies() },
    // Resolve the session once; tenant routes require it, public routes ignore it. A cached
    // session is read without a promise: with Better Auth's AsyncLocalStorage every promise
    // runs Node's promise hooks.
    {
      name: 'session',
      path: '/api/v1/*',
      handler: (c, next) => {
        const headers = c.req.raw.headers;
        const known = sessions.knownUserIdOf(headers);
        if (known !== undefined) {
          c.set('userId', known);
          return next();
        }
        return resolveSession(c, next, sessions, headers);
      },
    },
  ];
}

/** The session middleware when Better Auth must be asked (nothing cached). */
async function resolveSession(c: Context<AppEnv>, next: Next, sessions: SessionCache, headers: Headers): Promise<void> {
  c.set('userId', await sessions.userIdOf(headers));
  await next();
}

/**
 * The routes that declare `checksMembershipItself` (src/http/openapi.ts), as Hono names them
 * (`GET /api/v1/orgs/:orgId/tasks/:id`): read from the registry, where every mounted route is.
 */
function routesCheckingMembership(app: ReturnType<typeof newRouter>): string[] {
  return app.openAPIRegistry.definitions.flatMap((definition) =>
    definition.type === 'route' && (definition.route as Record<string, unknown>)[CHECKS_MEMBERSHIP_ITSELF] === true
      ? [`${definition.route.method.toUpperCase()} ${definition.route.path.replace(/\{(\w+)\}/g, ':$1')}`]
      : [],
  );
}

/**
 * The route that will answer, as `METHOD path`: the first route matched for the method itself
 * (middleware is registered for ALL methods).
 */
function matchedRouteKey(c: Context): string {
  const route = matchedRoutes(c).find((matched) => matched.method !== 'ALL');
  return route ? `${route.method} ${route.path}` : '';
}

/** BASE_URL as Better Auth was given it (src/main.ts), so mail links and auth callbacks agree. */
function publicOrigin(auth: Auth): string {
  const configured = auth.options.baseURL;
  return (typeof configured === 'string' ? configured : 'http://localhost:3000').replace(/\/+$/, '');
}

const SIGNING_IN = /\/(sign-in|sign-up)\/[^/]+$/;
const ASSET_UPLOAD = /^\/api\/v1\/orgs\/[^/]+\/projects\/[^/]+\/assets\/?$/;
function isAssetUpload(method: string, path: string): boolean {
  return method === 'POST' && ASSET_UPLOAD.test(path);
}
