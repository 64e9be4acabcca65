import { defineConfig } from 'vitest/config';

// One run for every workspace. Tests start real servers on free loopback ports, so files
// run in forks (a crash stays in its file) and slow integration setups get generous hooks.
// Two projects: Node tests everywhere, and the Grafana plugin's React components in jsdom.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/reporters/summary-line.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['**/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '.bench-out/**', '.state/**'],
        },
      },
      './grafana-plugin/vitest.jsdom.config.ts',
    ],
  },
});
