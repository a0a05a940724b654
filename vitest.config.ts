import { defineConfig } from 'vitest/config';

/** Folders that hold no tests of ours: dependencies, build output, and Playwright's e2e journeys. */
const notOurs = ['**/node_modules/**', 'out/**', 'e2e/**'];

/**
 * Two projects: `unit` (fast, no servers) and `integration` (`*.int.test.ts`, against a
 * real MinIO that test/global-setup-s3.ts starts once per run).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [...notOurs, '**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts', 'scripts/**/*.int.test.ts'],
          exclude: notOurs,
          globalSetup: ['test/global-setup-s3.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
