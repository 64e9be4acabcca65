import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlertmanager, type RunningAlertmanager } from '../src/index.js';

const started: RunningAlertmanager[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function start(config: string): Promise<{ am: RunningAlertmanager; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-alertmanager-'));
  dirs.push(dir);
  const file = join(dir, 'alertmanager.yml');
  await writeFile(file, config);
  const am = await startAlertmanager({ dataDir: join(dir, 'data'), configFile: file });
  started.push(am);
  return { am, file };
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
