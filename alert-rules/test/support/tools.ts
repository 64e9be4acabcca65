import { spawnSync } from 'node:child_process';

export interface ToolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs promtool or amtool (Debian's prometheus / prometheus-alertmanager packages). */
export function runTool(
  tool: 'promtool' | 'amtool',
  args: readonly string[],
  options: { readonly cwd?: string; readonly input?: string } = {},
): ToolResult {
  const result = spawnSync(tool, args, {
    encoding: 'utf8',
    cwd: options.cwd,
    input: options.input,
    timeout: 120_000,
  });
  if (result.error) {
    const pkg = tool === 'promtool' ? 'prometheus' : 'prometheus-alertmanager';
    throw new Error(`${tool} could not run (apt-get install ${pkg}): ${result.error.message}`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
