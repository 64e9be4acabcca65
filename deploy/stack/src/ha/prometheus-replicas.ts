import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AlertRulesConfig, type PrometheusSetup } from '@layerwatch/alert-rules';
import { freePort, startPrometheus, type RunningPrometheus } from '@layerwatch/local';
import { stringify } from 'yaml';
import type { PartContext } from '../part.js';
import { startRulesPrometheus, writeRulesPrometheus } from '../rules-prometheus.js';
import { HA_TOPOLOGY } from './topology.js';

export interface PrometheusHa {
  /** What dashboards and the app query: every replica-a series, without `replica`. */
  readonly global: RunningPrometheus;
  readonly replicas: Readonly<Record<string, RunningPrometheus>>;
}

/** The global Prometheus's folder in the stack's `dir`: its config, and its TSDB in `data`. */
export const globalPrometheusDir = (stackDir: string): string =>
  join(stackDir, 'prometheus', 'global');

/** The global Prometheus: no scrapes, no rules; it stores what the writing replica sends. */
async function startGlobal(ctx: PartContext): Promise<RunningPrometheus> {
  const { options, host, ports } = ctx;
  const dir = globalPrometheusDir(options.dir);
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
  setup: ScrapeSetup,
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

type ScrapeSetup = Omit<PrometheusSetup, 'ruleFiles' | 'replica' | 'remoteWriteUrl'>;

/** Replica `replica`'s folder and setup: the scrapes, its label, remote write for the writer. */
function replicaConfig(ctx: PartContext, setup: ScrapeSetup, replica: string, globalUrl: string) {
  return {
    dir: join(ctx.options.dir, 'prometheus', `replica-${replica}`),
    setup: {
      ...setup,
      replica: { label: HA_TOPOLOGY.replicaLabel, value: replica },
      ...(replica === HA_TOPOLOGY.remoteWriter && { remoteWriteUrl: `${globalUrl}/api/v1/write` }),
    },
  };
}

async function startReplica(
  ctx: PartContext,
  config: AlertRulesConfig,
  setup: ScrapeSetup,
  replica: string,
  globalUrl: string,
): Promise<RunningPrometheus> {
  const { dir, setup: own } = replicaConfig(ctx, setup, replica, globalUrl);
  return startRulesPrometheus(dir, config, own, {
    host: ctx.host,
    port: await freePort(ctx.host),
  });
}

/**
 * Rewrites every replica's config with `setup` (new probe shards) and reloads those that
 * run; one that was stopped reads the new config when it starts again.
 */
export async function reconfigureReplicas(
  ctx: PartContext,
  config: AlertRulesConfig,
  setup: ScrapeSetup,
  ha: PrometheusHa,
): Promise<void> {
  for (const [replica, running] of Object.entries(ha.replicas)) {
    const { dir, setup: own } = replicaConfig(ctx, setup, replica, ha.global.url);
    await writeRulesPrometheus(dir, config, own);
    try {
      await running.reload();
    } catch (error) {
      const answering = await fetch(`${running.url}/-/ready`).then(
        () => true,
        () => false,
      );
      if (answering) throw error;
    }
  }
}
