import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The service from source in its own process (`serve.ts --config FILE`), for kill -9 tests. */
export function startChild(config: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--config', config], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening: ${stderr}`)),
    );
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_c, s) => resolve(s)),
  );
  return { child, url, exited };
}
