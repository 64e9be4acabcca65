import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  startProcessServer,
  type RunningPostgres,
  type RunningProcessServer,
} from '@layerwatch/local';
import { startTcpBalancer } from '@layerwatch/local/net';
import { stringify } from 'yaml';
import {
  prepareStackRemediation,
  type RemediationOptions,
  type StartedRemediation,
} from '../remediation.js';
import { HA_TOPOLOGY } from './topology.js';

const REPLICA_MAIN = fileURLToPath(new URL('./remediation-replica-main.js', import.meta.url));

/**
 * Remediation as it runs replicated: one process per replica (so that a test can SIGKILL
 * one), all on one PostgreSQL, behind one address that hands each connection to the next
 * replica that accepts it, as a Kubernetes Service does. The composition's remediation
 * port is that address.
 */
export async function startRemediationReplicas(
  options: RemediationOptions,
  postgres: RunningPostgres,
): Promise<StartedRemediation & { stop(): Promise<void> }> {
  const store = {
    kind: 'postgres' as const,
    url: `postgres://layerwatch@${options.host}:${postgres.port}/layerwatch`,
  };
  const prepared = await prepareStackRemediation(options, store);
  const dir = join(options.stateDir, 'remediation');
  await mkdir(dir, { recursive: true });
  const replicas: RunningProcessServer[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(replicas.map((r) => r.stop()));
  };
  try {
    for (const id of HA_TOPOLOGY.remediationReplicas) {
      replicas.push(await startReplica(options, prepared.input, dir, id));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const balancer = await startTcpBalancer(
    replicas.map((r) => ({ host: options.host, port: Number(new URL(r.url).port) })),
    options.host,
    options.port,
  );
  return {
    alertmanagerTokenFile: prepared.tokenFiles.alertmanager,
    tokenFiles: prepared.tokenFiles,
    tokens: prepared.tokens,
    url: balancer.url,
    replicas,
    restartReplica: async (index) => {
      const replica = replicas[index];
      if (replica === undefined) throw new Error(`no remediation replica ${index}`);
      replicas[index] = await replica.restart();
    },
    stop: async () => {
      await balancer.stop();
      await stopAll();
    },
  };
}

async function startReplica(
  options: RemediationOptions,
  input: Awaited<ReturnType<typeof prepareStackRemediation>>['input'],
  dir: string,
  id: string,
): Promise<RunningProcessServer> {
  const port = await freePort(options.host);
  const file = join(dir, `replica-${id}.yml`);
  const config = {
    ...input,
    listen: `${options.host}:${port}`,
    // Short leases locally, so a killed replica's intents are taken over within seconds.
    replica: { id: `replica-${id}`, leaseSeconds: 5 },
  };
  await writeFile(file, stringify(config), { mode: 0o600 });
  return startProcessServer({
    name: `remediation replica ${id} (config ${file})`,
    command: process.execPath,
    args: [REPLICA_MAIN, '--config', file],
    url: `http://${options.host}:${port}`,
    readyPath: '/-/ready',
  });
}
