import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/**
 * The built web app (`npm run build:web`, or `npm start`, which builds when sources changed).
 * TENANTRY_WEB_DIST points elsewhere: the browser suite serves its own snapshot of the build,
 * so a rebuild in the working tree during a run cannot change what it tests.
 */
const DIST_DIR = process.env.TENANTRY_WEB_DIST ? `${process.env.TENANTRY_WEB_DIST.replace(/\/$/, '')}/` : fileURLToPath(new URL('../../web/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
};

/**
 * One plain file name: no slash, no leading dot, a known extension. Anything else (`..`, `%2F`,
 * nested paths, dotfiles) is refused before the file system is asked.
 */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.(html|js|css|svg|png|woff2|txt)$/;

/**
 * Only our own origin may supply anything: no inline script or style, no other host for images,
 * fonts or requests; nothing may frame the app or take over its base URL.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Hashed file names never change content, so browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the single-page app: `/assets/<hashed file>` with a long cache, files at the root of
 * web/dist (the favicon), and index.html for every other GET outside `/api/`, so a shared link
 * such as `/acme/projects/WEB` opens the app, which then routes it.
 *
 * @example
 * app.route('/', webRoutes());
 */
export function webRoutes({ distDir = DIST_DIR }: { distDir?: string } = {}) {
  const web = new Hono();

  const serve = async (path: string, name: string, cacheControl: string) => {
    const extension = SAFE_NAME.exec(name)?.[1];
    const contentType = extension === undefined ? undefined : CONTENT_TYPES[extension];
    if (contentType === undefined) return null;
    // A missing file is a 404 like any other; other read failures are real errors.
    const body = await readFile(distDir + path + name).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (body === null) return null;
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': contentType,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': cacheControl,
      },
    });
  };

  const app = async () =>
    (await serve('', 'index.html', 'no-cache')) ??
    new Response('The web app is not built: run `npm run build:web` (npm start builds it).', {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });

  web.get('/assets/:name', async (c) => (await serve('assets/', c.req.param('name'), IMMUTABLE)) ?? c.notFound());
  web.get('*', async (c) => {
    const path = c.req.path;
    // The API answers its own 404s in JSON; an unknown API path must never become the app.
    if (path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/')) return c.notFound();
    const name = path.slice(1);
    if (!name.includes('/') && SAFE_NAME.test(name) && name !== 'index.html') return (await serve('', name, 'no-cache')) ?? c.notFound();
    // A path with a dot that is not a route (`/x.php`, `/app/../package.json`) is a missing file, not a page.
    if (/\.[A-Za-z0-9]+$/.test(path) || path.includes('/.')) return c.notFound();
    return app();
  });
  return web;
}
