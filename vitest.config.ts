import { defineConfig } from 'vitest/config';

// Three tiers, selectable with `--project`: unit tests sit beside the code, integration tests
// (real SQLite files, child processes, Docker, HAProxy, ...) are named *.integration.test.ts,
// and e2e tests drive the product from the outside (test/e2e).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{engine,cli,main,preload,renderer,test,scripts}/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', 'test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
