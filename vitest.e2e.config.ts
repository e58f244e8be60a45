import { defineConfig } from 'vitest/config';

// The browser suite (`npm run test:e2e`): real server, real Chromium, one browser per file.
// Files run one at a time: the machine is shared and each file starts its own server.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    testTimeout: 90_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
    // expect.poll gives up after 1 s by default; a loaded machine needs as long as a locator.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
