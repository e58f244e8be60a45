import { defineConfig } from 'vitest/config';

// The Citus suite (`npm run test:citus`): one throwaway cluster of a coordinator and two workers
// (test/citus/global-setup.ts), on which every test database is created, migrated and
// distributed (test/support/database.ts). Besides test/citus, the catalog-generated isolation
// suite, the OpenAPI cross-tenant suite and the contract pass over every API operation run
// unchanged on it.
// Files run one at a time: three PostgreSQL servers are plenty for a shared machine.
export default defineConfig({
  test: {
    include: ['test/citus/**/*.test.ts', 'test/isolation.test.ts', 'test/security.test.ts', 'test/contract.test.ts', 'test/project-isolation.test.ts'],
    globalSetup: ['test/citus/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
