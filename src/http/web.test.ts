import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { webRoutes } from './web.js';

// A stand-in for web/dist, so the test needs neither a build nor a database.
const dist = mkdtempSync(join(tmpdir(), 'tenantry-web-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(dist, '.build-hash'), 'secret-ish');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

// Mounted on a bare Hono, exactly as createApp mounts it (last, after the API).
const app = new Hono().route('/', webRoutes({ distDir: `${dist}/` }));

describe('web app files', () => {
  it('serves index.html at / with a strict content security policy and no caching', async () => {
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('/assets/index-abc123.js');
  });

  it.each(['/sign-in', '/sign-up', '/acme/projects', '/acme/projects/WEB', '/acme/tasks/WEB-7', '/acme/settings', '/invitations/6f1c2b1e-8a1f-4c1e-9e7b-0d3f0a1b2c3d'])(
    'answers the app for the client-side route %s',
    async (path) => {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('/assets/index-abc123.js');
    },
  );

  it('serves hashed assets with a year-long immutable cache and their own content types', async () => {
    const script = await app.request('/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const styles = await app.request('/assets/index-abc123.css');
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves the favicon', async () => {
    const icon = await app.request('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it.each([
    '/assets/../package.json',
    '/assets/..%2Fpackage.json',
    '/assets/%2e%2e/index.html',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/..%2fpackage.json',
    '/%2e%2e/package.json',
    '/.build-hash',
    '/assets/.hidden.js',
  ])('refuses path traversal and dotfiles: %s', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"name": "tenantry"');
  });

  it.each(['/assets/missing.js', '/missing.svg', '/x.php', '/api/v1/nope', '/api/auth/x', '/api'])('answers 404 for a file or API path it does not serve: %s', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('index-abc123');
  });

  it('says how to build the app when web/dist is missing', async () => {
    const bare = new Hono().route('/', webRoutes({ distDir: join(dist, 'nothing-here/') }));
    const response = await bare.request('/acme/projects');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});
