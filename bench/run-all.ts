import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `make bench`: runs every benchmark in bench/ (each `*.ts` here but this one) in sequence,
 * each in its own Node process that starts and kills its own children, then repeats their
 * RESULT lines. Names on the command line pick some: `npx tsx bench/run-all.ts scheduled`.
 * Printed, never asserted: the exit status is non-zero only when a benchmark could not run.
 */
const HERE = new URL('.', import.meta.url);
const picked = process.argv.slice(2).map((name) => name.replace(/\.ts$/, ''));
const BENCHES = readdirSync(HERE)
  .filter((file) => file.endsWith('.ts') && file !== 'run-all.ts' && !file.endsWith('.d.ts'))
  .filter((file) => picked.length === 0 || picked.includes(file.replace(/\.ts$/, '')))
  .sort();

function runOne(file: string): Promise<{ code: number; results: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, HERE))], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const results: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      results.push(...lines.filter((line) => line.startsWith('RESULT ')));
    });
    const stop = (): void => void child.kill('SIGTERM');
    process.once('SIGINT', stop);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', stop);
      if (pending.startsWith('RESULT ')) results.push(pending);
      resolve({ code: code ?? (signal ? 1 : 0), results });
    });
  });
}

if (BENCHES.length === 0) throw new Error(`no benchmark matches ${picked.join(', ')}`);
let failed = 0;
const summary: string[] = [];
for (const bench of BENCHES) {
  console.log(`\n=== ${bench}`);
  const { code, results } = await runOne(bench);
  if (code !== 0) {
    failed += 1;
    summary.push(`FAILED ${bench} (exit ${code})`);
  }
  summary.push(...results);
}
console.log(`\n=== summary\n${summary.join('\n')}`);
process.exitCode = failed ? 1 : 0;
