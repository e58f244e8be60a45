import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type E2EServer, startE2EServer } from './server.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOT_DIR = join(repoRoot, 'docs', 'screenshots');

/** Debian's Chromium (browser downloads are not possible here), headless and quiet on the network. */
const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export type E2E = {
  readonly baseUrl: string;
  readonly server: E2EServer;
  /** A fresh browser context (its own cookies) whose pages are watched; closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A console error this test provokes on purpose (a wrong password answers 401). */
  allowConsoleError(pattern: RegExp): void;
  screenshot(page: Page, name: string): Promise<void>;
};

/**
 * The browser suite's fixture, for one test file: starts the server (with the demo data) and
 * Chromium once, gives each test fresh contexts, and fails a test on any console error,
 * uncaught page error, or request to another origin. `options.env` adds to the server's environment.
 *
 * @example
 * const e2e = useE2E();
 * it('signs in', async () => { const page = await e2e.newPage(); await page.goto(`${e2e.baseUrl}/sign-in`); });
 */
export function useE2E(options: { env?: Record<string, string> } = {}): E2E {
  let server: E2EServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let problems: string[] = [];
  let allowed: RegExp[] = [];

  beforeAll(async () => {
    // E2E_BASE_URL points the suite at a server that is already running (while developing).
    const external = process.env.E2E_BASE_URL;
    const starting = external ? Promise.resolve(runningServer(external)) : startE2EServer(options.env);
    [server, browser] = await Promise.all([starting, chromium.launch(CHROMIUM)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });
  beforeEach(() => {
    contexts = [];
    problems = [];
    allowed = [];
  });
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    expect(problems, 'console errors, page errors and requests to other origins').toEqual([]);
  });

  const watch = (context: BrowserContext, origin: string) => {
    context.on('page', (page) => {
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = `${message.text()} (${message.location().url})`;
        if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error on ${page.url()}: ${text}`);
      });
      page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    });
    context.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      if (new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
    });
  };

  const fixture: E2E = {
    get baseUrl() {
      if (!server) throw new Error('the server is not started yet');
      return server.baseUrl;
    },
    get server() {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    async newContext(options = {}) {
      if (!browser || !server) throw new Error('the browser is not started yet');
      const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 800 }, ...options });
      context.setDefaultTimeout(15_000);
      watch(context, new URL(server.baseUrl).origin);
      contexts.push(context);
      return context;
    },
    async newPage(options) {
      const context = await fixture.newContext(options);
      return context.newPage();
    },
    allowConsoleError(pattern) {
      allowed.push(pattern);
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
    },
  };
  return fixture;
}

function runningServer(baseUrl: string): E2EServer {
  return { baseUrl: baseUrl.replace(/\/$/, ''), engine: 'pglite', output: () => '', destroy: () => Promise.resolve() };
}
