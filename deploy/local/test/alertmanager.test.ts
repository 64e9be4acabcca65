import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { freePort, startAlertmanager, type RunningAlertmanager } from '../src/index.js';
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

  it('forms a gossip cluster of peers, each told the others', async () => {
    const gossip = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    const peers = await Promise.all(
      gossip.map(async (listenAddress, i) => {
        const options = await withConfig('alertmanager.yml', MINIMAL);
        const peers = gossip.filter((_, j) => j !== i);
        return keep(await startAlertmanager({ ...options, cluster: { listenAddress, peers } }));
      }),
    );
    const deadline = Date.now() + 20_000;
    let status = { cluster: { status: '', peers: [] as unknown[] } };
    while (Date.now() < deadline && status.cluster.peers.length < 2) {
      status = (await (await fetch(`${peers[0]!.url}/api/v2/status`)).json()) as typeof status;
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(status.cluster.peers).toHaveLength(2);
  }, 30_000);

  it('a peer that cannot take its gossip address fails naming itself, with its log', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const options = await withConfig('alertmanager.yml', MINIMAL);
      await expect(
        startAlertmanager({
          ...options,
          cluster: { listenAddress: `127.0.0.1:${port}`, peers: [] },
        }),
      ).rejects.toThrow(
        /alertmanager on 127\.0\.0\.1:\d+ exited before it was ready:[\s\S]*address already in use/,
      );
    } finally {
      taken.close();
    }
  }, 30_000);
});
