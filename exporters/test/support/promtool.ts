import { spawnSync } from 'node:child_process';

/** `promtool check metrics` on an exposition; what it reported (empty when clean). */
export function promtoolCheckMetrics(exposition: string): {
  status: number | null;
  output: string;
} {
  const result = spawnSync('promtool', ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
  });
  if (result.error) {
    throw new Error(`promtool is missing (apt-get install prometheus): ${result.error.message}`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
