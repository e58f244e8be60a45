import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { webRoutes } from './web.js';

// Mounted on a bare Hono, exactly as createApp mounts it, so no database is needed.
const app = new Hono().route('/', webRoutes());

describe('web app files', () => {
  it('serves index.html at / with a strict content security policy', async () => {
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'(;|$)/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/app/app.js"></script>');
  });

  it('serves the script as JavaScript and the stylesheet as CSS', async () => {
    const script = await app.request('/app/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await script.text()).toContain('/api/auth/sign-in/email');

    const styles = await app.request('/app/styles.css');
    expect(styles.status).toBe(200);
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('never uses innerHTML, so server data cannot become markup', async () => {
    const script = await (await app.request('/app/app.js')).text();
    expect(script).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/);
  });

  it.each([
    '/app/../package.json',
    '/app/..%2Fpackage.json',
    '/app/..%2fpackage.json',
    '/app/%2e%2e/package.json',
    '/app/%2e%2e%2fpackage.json',
    '/app/%252e%252e%252fpackage.json',
    '/app/..%5cpackage.json',
    '/app/.%2e/src/main.ts',
    '/app/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  ])('refuses path traversal: %s', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"name": "tenantry"');
  });

  it.each(['/app/missing.js', '/app/app.ts', '/app/.hidden.js', '/app/index.html/x', '/nope.html', '/app/package.json'])(
    'answers 404 for a file it does not serve: %s',
    async (path) => {
      const response = await app.request(path);
      expect(response.status).toBe(404);
    },
  );
});
