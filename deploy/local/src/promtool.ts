import { spawnSync } from 'node:child_process';
import { missingBinaryError } from './find-binary.js';

/**
 * `promtool check metrics` (Debian's prometheus package) on an exposition: its exit status
 * and what it reported, empty when the exposition is clean.
 */
export function promtoolCheckMetrics(exposition: string): {
  status: number | null;
  output: string;
} {
  const result = spawnSync('promtool', ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
  });
  if (result.error) {
    const missing = missingBinaryError('promtool', 'on PATH', 'prometheus');
    throw new Error(`${missing.message}: ${result.error.message}`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
