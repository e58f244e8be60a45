import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';

describe('the API reference at /docs', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('loads only from this server, and its CSP header says so for every fetch directive', async () => {
    const page = await h.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    // No other origin anywhere in the page, and no inline script.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>(?!<)/);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources.filter((s) => s !== '/favicon.svg')) {
      expect(source).toMatch(/^\/docs\//);
      const asset = await h.app.request(source);
      expect(asset.status, source).toBe(200);
      expect((await asset.text()).length, source).toBeGreaterThan(50);
    }
    expect((await h.app.request('/docs/init.js')).headers.get('content-type')).toContain('javascript');

    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
    for (const name of ['default-src', 'script-src', 'style-src', 'img-src', 'connect-src', 'font-src']) {
      expect(directives.get(name), name).toEqual(["'self'"]);
    }
    // Anything else a directive lists is only this origin or nothing at all.
    for (const [name, values] of directives) {
      if (name.endsWith('-src')) expect(values.every((v) => v === "'self'" || v === "'none'"), name).toBe(true);
    }
  });

  it('serves nothing of the package but the assets the page names', async () => {
    for (const path of ['/docs/package.json', '/docs/..%2Fpackage.json', '/docs/swagger-ui-bundle.js.map', '/docs/index.html']) {
      const response = await h.app.request(path);
      expect(await response.text(), path).not.toMatch(/swagger-ui-dist|SwaggerUIBundle|"mappings"/);
    }
  });
});
