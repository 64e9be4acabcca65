import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startAlertmanager, type RunningAlertmanager } from '../src/index.js';
import { servers } from './support/servers.js';

const { keep, withConfig } = servers('alertmanager');

async function start(config: string): Promise<{ am: RunningAlertmanager; file: string }> {
  const options = await withConfig('alertmanager.yml', config);
  return { am: keep(await startAlertmanager(options)), file: options.configFile };
}

const MINIMAL = 'route:\n  receiver: none\nreceivers:\n  - name: none\n';

describe('startAlertmanager', () => {
  it('starts two instances side by side (no cluster port) and takes alerts over API v2', async () => {
    const [{ am }, { am: other }] = await Promise.all([start(MINIMAL), start(MINIMAL)]);
    expect(am.port).not.toBe(other.port);
    const post = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'Test' } }]),
    });
    expect(post.status).toBe(200);
    const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as unknown[];
    expect(alerts).toHaveLength(1);
  });

  it('reloads its config, and refuses a bad one with the reason', async () => {
    const { am, file } = await start(MINIMAL);
    await writeFile(file, `${MINIMAL}  - name: second\n`);
    await am.reload();
    await writeFile(file, 'route:\n  receiver: missing\n');
    await expect(am.reload()).rejects.toThrow(
      /refused to reload \(500\).*undefined receiver "missing"/s,
    );
  });
});
