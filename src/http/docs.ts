import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

/** swagger-ui-dist's folder, from the installed package: the page needs no other origin. */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files the page loads, by the name it asks for them under /docs/. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
};

/**
 * Every fetch directive confined to this origin: the page, its script, its styles and the
 * document it shows all come from here, and nothing inline runs (the start-up script is a file).
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "frame-src 'self'",
  "child-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tenantry API reference</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

const headers = (type: string, cacheControl = 'no-cache') => ({
  'content-type': type,
  'content-security-policy': DOCS_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': cacheControl,
});

/**
 * The API reference at /docs: swagger-ui from the swagger-ui-dist package, served from this
 * server, reading /openapi.json. Works offline.
 *
 * @example
 * app.route('/', docsRoutes());
 */
export function docsRoutes() {
  const docs = new Hono();
  docs.get('/docs', () => new Response(PAGE, { headers: headers('text/html; charset=utf-8') }));
  docs.get('/docs/init.js', () => new Response(INIT_SCRIPT, { headers: headers('text/javascript; charset=utf-8') }));
  for (const [name, asset] of Object.entries(ASSETS)) {
    docs.get(`/docs/${name}`, async () => {
      const body = await readFile(join(SWAGGER_UI_DIR, asset.file));
      // The package is pinned; its files change only with a new install, so a day of caching is safe.
      return new Response(new Uint8Array(body), { headers: headers(asset.type, 'public, max-age=86400') });
    });
  }
  return docs;
}
