import { defineConfig } from 'vitest/config';

// One run for every workspace. Tests start real servers on free loopback ports, so files
// run in forks (a crash stays in its file) and slow integration setups get generous hooks.
export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
