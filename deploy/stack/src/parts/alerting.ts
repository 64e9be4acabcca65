import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  alertmanagerYaml,
  buildRuleGroups,
  readPagerSecrets,
  resolveConfig,
  type AlertRulesConfig,
} from '@layerwatch/alert-rules';
import { startAlertmanager } from '@layerwatch/local';
import { startAlertmanagerCluster } from '../ha/alertmanager-cluster.js';
import { reconfigureReplicas, startPrometheusHa } from '../ha/prometheus-replicas.js';
import { startRulesPrometheus } from '../rules-prometheus.js';
import { compositionTargets, startShardDaemon } from './probes.js';
import { need, type PartContext, type PartSpec, type StackState } from '../part.js';

/**
 * The rules of this composition: the committed config with its overrides, paging this
 * composition's remediation webhook. With no overrides they are the committed rules
 * (`npx layerwatch generate --check` keeps those equal to the config).
 */
function rulesConfig(ctx: PartContext): AlertRulesConfig {
  const { rules, webhookUrl } = ctx.options;
  return resolveConfig({
    ...rules,
    alertmanager: {
      ...rules?.alertmanager,
      remediationWebhookUrl:
        webhookUrl ?? `${need(ctx.state, 'remediation', 'alertmanager').url}/alertmanager/webhook`,
    },
  });
}

/** The bearer token file Alertmanager sends to remediation; none for a stand-in receiver. */
function remediationTokenFile(ctx: PartContext): string | undefined {
  if (ctx.options.webhookUrl !== undefined) return undefined;
  return resolve(need(ctx.state, 'remediation', 'alertmanager').alertmanagerTokenFile);
}

/**
 * Alertmanager, paging the remediation webhook (with the token remediation wrote for it)
 * and the pagers configured from the environment or `LAYERWATCH_ALERTMANAGER_SECRETS`.
 */
export const alertmanagerPart: PartSpec = {
  name: 'alertmanager',
  title: 'Alertmanager',
  needs: (options) => (options.webhookUrl === undefined ? ['remediation'] : []),
  async start(ctx) {
    const { options, host, ports, state } = ctx;
    const config = rulesConfig(ctx);
    const dir = join(options.dir, 'alertmanager');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'alertmanager.yml');
    // Rendered with whatever pager secrets this shell has: never committed, readable by us only.
    const pagers = readPagerSecrets();
    const tokenFile = remediationTokenFile(ctx);
    await writeFile(
      file,
      alertmanagerYaml(config, buildRuleGroups(config), {
        ...(tokenFile !== undefined && { remediationTokenFile: tokenFile }),
        ...pagers,
      }),
    );
    await chmod(file, 0o600);
    const peers = options.ha
      ? await startAlertmanagerCluster(ctx, file)
      : [
          await startAlertmanager({
            dataDir: join(dir, 'data'),
            configFile: file,
            port: ports.alertmanager,
            host,
          }),
        ];
    state.alertmanager = peers[0]!;
    state.alertmanagerPeers = peers;
    const withPagers = Object.keys(pagers).length > 0 ? ' and the configured pagers' : '';
    const pages = `pages → ${config.alertmanager.remediationWebhookUrl}${withPagers}`;
    return {
      name: 'Alertmanager',
      urls: peers.map((peer, i) =>
        peers.length === 1
          ? `${peer.url}  (${pages})`
          : `${peer.url}  (cluster peer ${i}; ${pages})`,
      ),
      stop: async () => {
        await Promise.all(peers.map((peer) => peer.stop()));
      },
    };
  },
};

/** What every Prometheus of this composition scrapes, and where it sends alerts. */
async function scrapeSetup(ctx: PartContext) {
  const { options, host, state } = ctx;
  const interval = options.intervalSeconds;
  const shards = state.probeShards ?? [need(state, 'probes', 'prometheus')];
  const daemons = shards.map((d) => new URL(d.url).host);
  return {
    probes: daemons,
    // HA: the targets go through `/probe`, each to one daemon (hashmod).
    ...(options.ha && {
      probeShards: {
        daemons,
        targets: compositionTargets(host, state).map(({ target, module, name, layer }) => ({
          target,
          module,
          labels: { name, layer, target },
        })),
      },
    }),
    gpuNodes: [gpuNodeTarget(need(state, 'gpuNode', 'prometheus'))],
    layers: await answeringLayers(Object.values(need(state, 'sim', 'prometheus').services)),
    alertmanagers: (state.alertmanagerPeers ?? []).map((peer) => `${host}:${peer.port}`),
    ...(interval !== undefined && { scrapeInterval: `${interval}s` as const }),
  };
}

/**
 * Prometheus with the rules, scraping the probe daemon and every layer that serves
 * `/metrics`. HA: two replicas doing that, and the global Prometheus one of them writes to.
 */
export const prometheusPart: PartSpec = {
  name: 'prometheus',
  title: 'Prometheus',
  needs: ['probes', 'gpuNode', 'alertmanager', 'sim'],
  async start(ctx) {
    const { options, host, ports, state } = ctx;
    const config = rulesConfig(ctx);
    const setup = await scrapeSetup(ctx);
    if (options.ha) {
      const ha = await startPrometheusHa(ctx, config, setup);
      state.prometheus = ha.global;
      state.prometheusReplicas = ha.replicas;
      state.reshardProbes = async (count) => {
        const shards = need(state, 'probeShards', 'prometheus');
        while (shards.length < count) shards.push(await startShardDaemon(ctx, shards.length));
        const removed = shards.splice(count);
        await reconfigureReplicas(ctx, config, await scrapeSetup(ctx), ha);
        await Promise.all(removed.map((daemon) => daemon.stop()));
      };
      return {
        name: 'Prometheus',
        urls: [
          `${ha.global.url}/graph  (global: what dashboards and the app query)`,
          ...Object.entries(ha.replicas).map(([r, p]) => `${p.url}/alerts  (replica ${r})`),
        ],
        stop: ha.stop,
      };
    }
    const prometheus = await startRulesPrometheus(join(options.dir, 'prometheus'), config, setup, {
      host,
      port: ports.prometheus,
    });
    state.prometheus = prometheus;
    return {
      name: 'Prometheus',
      urls: [`${prometheus.url}/alerts`, `${prometheus.url}/targets`],
      stop: () => prometheus.stop(),
    };
  },
};

function gpuNodeTarget(gpuNode: NonNullable<StackState['gpuNode']>) {
  return { target: new URL(gpuNode.daemon.url).host, node: gpuNode.node };
}

/** The layer services that already serve the exporters' `/metrics`, as scrape targets. */
async function answeringLayers(
  layers: readonly { readonly url: string; readonly layer: string }[],
): Promise<{ target: string; layer: string }[]> {
  const answering = await Promise.all(
    layers.map(async ({ url, layer }) => {
      try {
        const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        return response.status === 200 ? [{ target: new URL(url).host, layer }] : [];
      } catch {
        return [];
      }
    }),
  );
  return answering.flat();
}
