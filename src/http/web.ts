import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/** The web app's files: plain HTML, an ES module and CSS, served as they are (no build step). */
const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * One plain file name directly inside web/: no slash, no leading dot, a known extension. Anything
 * else (`..`, `%2F`, nested paths, dotfiles) is refused before the file system is asked.
 */
const SAFE_NAME = /^[a-z0-9][a-z0-9_-]*\.(html|js|css)$/;

/** Only our own origin may supply anything; nothing may frame the app or take over its base URL. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/**
 * Serves the browser app: `/` (and `/app/`) is web/index.html, `/app/<file>` any other file in web/.
 *
 * @example
 * app.route('/', webRoutes());
 */
export function webRoutes() {
  const web = new Hono();

  const serve = async (name: string) => {
    const extension = SAFE_NAME.exec(name)?.[1];
    const contentType = extension === undefined ? undefined : CONTENT_TYPES[extension];
    if (contentType === undefined) return null;
    // A missing file is a 404 like any other; other read failures are real errors.
    const body = await readFile(WEB_DIR + name).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') return null;
      throw error;
    });
    if (body === null) return null;
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': contentType,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        // No build step means no hashed names: let browsers revalidate instead of guessing.
        'cache-control': 'no-cache',
      },
    });
  };

  for (const path of ['/', '/app', '/app/']) web.get(path, async (c) => (await serve('index.html')) ?? c.notFound());
  web.get('/app/:name', async (c) => (await serve(c.req.param('name'))) ?? c.notFound());
  return web;
}
