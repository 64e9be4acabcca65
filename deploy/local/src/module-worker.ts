import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` (without extension) beside `here` (the caller's
 * `import.meta.url`). From dist, `name.js` sits there. From the TypeScript sources (tsx,
 * vitest) there is only `name.ts`, which Node 20 cannot load in a worker by itself: the
 * worker first registers tsx's loader (a dev dependency), then imports it.
 */
export function startModuleWorker(
  here: string,
  name: string,
  options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {},
): Worker {
  const compiled = new URL(`./${name}.js`, here);
  // The worker needs no flag of ours (`--input-type`, `--eval` … would even break it).
  if (existsSync(fileURLToPath(compiled)))
    return new Worker(compiled, { ...options, execArgv: [] });
  const source = new URL(`./${name}.ts`, here).href;
  const bootstrap =
    `import(${JSON.stringify(tsxEsmApiUrl())}).then((api) => { api.register(); ` +
    `return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true, execArgv: [] });
}

/** tsx's ESM API (`tsx/esm/api`, import condition), located from this file. */
function tsxEsmApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exportsMap = (JSON.parse(readFileSync(manifest, 'utf8')) as TsxManifest).exports;
  const entry = exportsMap?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(manifest), entry)).href;
}

interface TsxManifest {
  readonly exports?: Record<string, { readonly import?: { readonly default?: string } }>;
}
