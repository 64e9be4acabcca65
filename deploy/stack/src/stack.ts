import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPostgres, startRedis } from '@layerwatch/local';
import { startDaemon } from '@layerwatch/probes';
import { DEFAULT_SIM_PORTS, startSimulator } from '@layerwatch/sim';
import { pino } from 'pino';
import { startPluginHost } from '@layerwatch/grafana-plugin';
import { startAlerting } from './alerting.js';
import { startStackRemediation } from './remediation.js';
import { onPath } from './on-path.js';
import { assertPortFree } from './port-check.js';
import { writeStackProbeConfig } from './probe-config.js';
import { LAYERWATCH_PORTS, sharedStorePort } from '@layerwatch/vocabulary';

export interface StackOptions {
  /** Where Redis and PostgreSQL keep their data between runs (git ignores `.state/`). */
  readonly stateDir: string;
  /** Where the remediation tokens are written. @default '.layerwatch' (git ignores it) */
  readonly tokenDir?: string;
  readonly host: string;
  readonly log: (line: string) => void;
}

/** A started part of the stack: what to show the user, and how to stop it. */
export interface StackPart {
  readonly name: string;
  readonly urls: readonly string[];
  stop(): Promise<void>;
}

export const STACK_PORTS = {
  redis: sharedStorePort('redis'),
  postgres: sharedStorePort('postgres'),
  ...LAYERWATCH_PORTS,
} as const;

/**
 * Starts the embedded stack in dependency order. If a part fails to start, the parts
 * already running are stopped before the error propagates, so nothing is left behind.
 */
export async function startStack(options: StackOptions): Promise<StackPart[]> {
  const { host, stateDir } = options;
  const parts: StackPart[] = [];
  try {
    const checks: [number, string][] = [
      [STACK_PORTS.redis, 'Redis'],
      [STACK_PORTS.postgres, 'PostgreSQL'],
      [STACK_PORTS.probes, 'probe daemon'],
      [STACK_PORTS.prometheus, 'Prometheus'],
      [STACK_PORTS.alertmanager, 'Alertmanager'],
      [STACK_PORTS.remediation, 'remediation service'],
      [STACK_PORTS.pluginHost, 'plugin preview host'],
      ...Object.entries(DEFAULT_SIM_PORTS).map(([name, port]): [number, string] => [
        port,
        `simulated ${name}`,
      ]),
    ];
    for (const [port, what] of checks) await assertPortFree(host, port, what);

    options.log('starting Redis …');
    const redis = await startRedis({
      dataDir: join(stateDir, 'redis'),
      port: STACK_PORTS.redis,
      host,
    });
    parts.push({
      name: 'Redis',
      urls: [`redis://${host}:${redis.port}  (queue agent-tasks)`],
      stop: () => redis.stop(),
    });

    options.log('starting PostgreSQL …');
    const postgres = await startPostgres({
      dataDir: join(stateDir, 'postgres'),
      port: STACK_PORTS.postgres,
      host,
      user: 'layerwatch',
      database: 'layerwatch',
    });
    parts.push({
      name: 'PostgreSQL',
      urls: [`postgresql://layerwatch@${host}:${postgres.port}/layerwatch`],
      stop: () => postgres.stop(),
    });

    options.log('starting the layer simulator and its demo factory pipeline …');
    const factoryRoot = join(stateDir, 'factory');
    const sim = await startSimulator({ host, factoryRoot });
    parts.push({
      name: 'Layer simulator',
      urls: Object.entries(sim.services).map(
        ([name, s]) => `${s.url}/health  (layer ${s.layer} ${name})`,
      ),
      stop: () => sim.stop(),
    });

    options.log('starting the probe daemon …');
    const configFile = await writeStackProbeConfig(
      stateDir,
      factoryRoot,
      await onPath('nvidia-smi'),
    );
    const daemon = await startDaemon({
      configFile,
      listen: `${host}:${STACK_PORTS.probes}`,
      logger: pino({ name: 'layerwatch-probes', level: 'warn' }),
    });
    parts.push({
      name: 'Probe daemon',
      urls: [
        `${daemon.url}/metrics`,
        `${daemon.url}/probe?target=${sim.services.agent.url}/health&module=http_healthy`,
      ],
      stop: () => daemon.stop(),
    });

    options.log('starting the remediation service …');
    const remediation = await startStackRemediation({
      stateDir,
      tokenDir: options.tokenDir ?? '.layerwatch',
      host,
      port: STACK_PORTS.remediation,
      services: sim.services,
      alertmanagerUrl: `http://${host}:${STACK_PORTS.alertmanager}`,
    });
    parts.push(remediation.part);

    const alerting = await startAlerting({
      remediationTokenFile: remediation.alertmanagerTokenFile,
      stateDir,
      host,
      ports: STACK_PORTS,
      probes: `${host}:${STACK_PORTS.probes}`,
      layers: Object.values(sim.services),
      log: options.log,
    });
    parts.push(...alerting);

    options.log('starting the plugin preview host …');
    const pluginHost = await startPluginHost({
      port: STACK_PORTS.pluginHost,
      host,
      // The proxy injects the operator token: the plugin's buttons act as an operator.
      remediationToken: (await readFile(remediation.tokenFiles.operator, 'utf8')).trim(),
      remediationUrl: `http://${host}:${STACK_PORTS.remediation}`,
      alertmanagerUrl: `http://${host}:${STACK_PORTS.alertmanager}`,
      prometheusUrl: `http://${host}:${STACK_PORTS.prometheus}`,
      users: [
        { login: 'operator', role: 'Editor' },
        { login: 'viewer', role: 'Viewer' },
      ],
    });
    parts.push({
      name: 'Layerwatch app (preview)',
      urls: [
        `${pluginHost.url}/a/${pluginHost.pluginId}/overview  (signed in as admin; /login?user=operator or viewer switches)`,
      ],
      stop: () => pluginHost.stop(),
    });
    return parts;
  } catch (error) {
    await stopStack(parts);
    throw error;
  }
}

/** Stops parts in reverse start order; one failing to stop does not keep the rest running. */
export async function stopStack(parts: readonly StackPart[]): Promise<void> {
  for (const part of [...parts].reverse()) {
    await part.stop().catch(() => undefined);
  }
}

/** The URL table `make up` prints. */
export function formatUrlTable(parts: readonly StackPart[]): string {
  const width = Math.max(...parts.map((p) => p.name.length));
  const lines = parts.flatMap((part) =>
    part.urls.map((url, i) => `  ${(i === 0 ? part.name : '').padEnd(width)}  ${url}`),
  );
  return ['', 'Layerwatch is up:', ...lines, '', 'Ctrl-C stops everything.', ''].join('\n');
}
