import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// @grafana/{ui,data,runtime}'s ESM builds do not load under vitest (CSS imports,
// moment-timezone named exports): their CommonJS builds do (see shared/TOOLCHAIN.md).
const require = createRequire(import.meta.url);
const cjs = (name: string) => require.resolve(name);

export default defineProject({
  test: {
    name: 'grafana-plugin-jsdom',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.tsx'],
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    alias: {
      '@grafana/ui': cjs('@grafana/ui'),
      '@grafana/data': cjs('@grafana/data'),
      '@grafana/runtime': cjs('@grafana/runtime'),
    },
  },
});
