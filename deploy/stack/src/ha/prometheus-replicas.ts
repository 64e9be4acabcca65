import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildRuleGroups,
  prometheusConfig,
  ruleFileYaml,
  type AlertRulesConfig,
  type PrometheusSetup,
} from '@layerwatch/alert-rules';
import { freePort, startPrometheus, type RunningPrometheus } from '@layerwatch/local';
import { stringify } from 'yaml';
import type { PartContext } from '../part.js';
import { HA_TOPOLOGY } from './topology.js';

export interface PrometheusHa {
  /** What dashboards and the app query: every replica-a series, without `replica`. */
  readonly global: RunningPrometheus;
  readonly replicas: Readonly<Record<string, RunningPrometheus>>;
}

/** The global Prometheus: no scrapes, no rules; it stores what the writing replica sends. */
async function startGlobal(ctx: PartContext): Promise<RunningPrometheus> {
  const { options, host, ports } = ctx;
  const dir = join(options.dir, 'prometheus', 'global');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'prometheus.yml');
  await writeFile(
    file,
    '# Written by Layerwatch: the global Prometheus of the HA stack, fed by remote write.\n' +
      stringify({ global: {}, scrape_configs: [] }),
  );
  return startPrometheus({
    dataDir: join(dir, 'data'),
    configFile: file,
    port: ports.prometheus,
    host,
    remoteWriteReceiver: true,
  });
}

/**
 * Prometheus as it runs replicated: the global one first (the writer needs it), then each
 * replica with the same rules, scrapes and Alertmanagers and its own `replica` label. A
 * replica that does not come up stops the others and fails naming it, with its log.
 */
export async function startPrometheusHa(
  ctx: PartContext,
  config: AlertRulesConfig,
  setup: Omit<PrometheusSetup, 'ruleFiles' | 'externalLabels' | 'remoteWrite'>,
): Promise<PrometheusHa & { stop(): Promise<void> }> {
  const global = await startGlobal(ctx);
  const started: RunningPrometheus[] = [global];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.stop()));
  };
  const replicas: Record<string, RunningPrometheus> = {};
  try {
    for (const replica of HA_TOPOLOGY.prometheusReplicas) {
      const running = await startReplica(ctx, config, setup, replica, global.url);
      started.push(running);
      replicas[replica] = running;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { global, replicas, stop };
}

async function startReplica(
  ctx: PartContext,
  config: AlertRulesConfig,
  setup: Omit<PrometheusSetup, 'ruleFiles' | 'externalLabels' | 'remoteWrite'>,
  replica: string,
  globalUrl: string,
): Promise<RunningPrometheus> {
  const { options, host } = ctx;
  const dir = join(options.dir, 'prometheus', `replica-${replica}`);
  await mkdir(join(dir, 'rules'), { recursive: true });
  for (const group of buildRuleGroups(config)) {
    await writeFile(join(dir, 'rules', `${group.name}.rules.yaml`), ruleFileYaml([group]));
  }
  const file = join(dir, 'prometheus.yml');
  await writeFile(
    file,
    prometheusConfig(config, {
      ...setup,
      ruleFiles: [join(dir, 'rules', '*.rules.yaml')],
      externalLabels: { replica },
      ...(replica === HA_TOPOLOGY.remoteWriter && {
        remoteWrite: { url: `${globalUrl}/api/v1/write`, dropLabels: ['replica'] },
      }),
    }),
  );
  return startPrometheus({
    dataDir: join(dir, 'data'),
    configFile: file,
    port: await freePort(host),
    host,
  });
}
