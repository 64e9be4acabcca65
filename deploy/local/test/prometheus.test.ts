import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPrometheus, type RunningPrometheus } from '../src/index.js';
import { servers } from './support/servers.js';

const { tempDir, keep, withConfig } = servers('prometheus');

async function start(config: string): Promise<{ prometheus: RunningPrometheus; file: string }> {
  const options = await withConfig('prometheus.yml', config);
  return { prometheus: keep(await startPrometheus(options)), file: options.configFile };
}

describe('startPrometheus', () => {
  it('serves the API on a free loopback port, evaluates rules, reloads and stops', async () => {
    const dir = await tempDir();
    const rules = join(dir, 'rules.yaml');
    await writeFile(
      rules,
      'groups:\n  - name: g\n    rules:\n      - record: x:one:sum\n        expr: vector(1)\n',
    );
    const { prometheus, file } = await start(
      `global:\n  evaluation_interval: 1s\nrule_files: [${JSON.stringify(rules)}]\n`,
    );
    expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(`${prometheus.url}/api/v1/status/buildinfo`);
    expect(((await answer.json()) as { status: string }).status).toBe('success');

    await writeFile(file, 'global:\n  evaluation_interval: 1s\n');
    await prometheus.reload();
    const rulesNow = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
      data: { groups: unknown[] };
    };
    expect(rulesNow.data.groups).toEqual([]);

    await prometheus.stop();
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
  });

  it('refuses a bad config on reload with its error, and keeps running', async () => {
    const { prometheus, file } = await start('global: {}\n');
    await writeFile(file, 'global:\n  scrape_interval: often\n');
    await expect(prometheus.reload()).rejects.toThrow(/refused to reload \(500\)/);
    expect((await fetch(`${prometheus.url}/-/ready`)).status).toBe(200);
  });

  it('fails with its output when the config is invalid at start', async () => {
    await expect(start('scrape_configs: 12\n')).rejects.toThrow(/exited before it was ready/);
  });
});
