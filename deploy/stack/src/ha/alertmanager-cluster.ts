import { join } from 'node:path';
import { freePort, startAlertmanager, type RunningAlertmanager } from '@layerwatch/local';
import type { PartContext } from '../part.js';
import { HA_TOPOLOGY } from './topology.js';

/**
 * The Alertmanager gossip cluster: every peer with the same config, each told the others'
 * cluster addresses. Peer 0 answers on the composition's Alertmanager port. A peer that
 * does not come up stops the ones already running and fails naming it, with its log.
 */
export async function startAlertmanagerCluster(
  ctx: PartContext,
  configFile: string,
): Promise<RunningAlertmanager[]> {
  const { options, host, ports } = ctx;
  const count = HA_TOPOLOGY.alertmanagerPeers;
  const gossip = await Promise.all(
    Array.from({ length: count }, async () => `${host}:${await freePort(host)}`),
  );
  const peers: RunningAlertmanager[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      peers.push(
        await startAlertmanager({
          dataDir: join(options.dir, 'alertmanager', `peer-${i}`),
          configFile,
          port: i === 0 ? ports.alertmanager : await freePort(host),
          host,
          cluster: {
            listenAddress: gossip[i]!,
            peers: gossip.filter((_, j) => j !== i),
            ...(options.ha?.peerTimeout !== undefined && { peerTimeout: options.ha.peerTimeout }),
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(peers.map((peer) => peer.stop()));
    throw error;
  }
  return peers;
}
