import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  alertmanagerYaml,
  buildRuleGroups,
  prometheusConfig,
  readPagerSecrets,
  resolveConfig,
  ruleFileYaml,
  type AlertRulesConfig,
} from '@layerwatch/alert-rules';
import { startAlertmanager, startPrometheus } from '@layerwatch/local';
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
        webhookUrl ??
        `${need(ctx.state, 'remediation', 'alertmanager').running.url}/alertmanager/webhook`,
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
    const alertmanager = await startAlertmanager({
      dataDir: join(dir, 'data'),
      configFile: file,
      port: ports.alertmanager,
      host,
    });
    state.alertmanager = alertmanager;
    const withPagers = Object.keys(pagers).length > 0 ? ' and the configured pagers' : '';
    return {
      name: 'Alertmanager',
      urls: [
        `${alertmanager.url}  (pages → ${config.alertmanager.remediationWebhookUrl}${withPagers})`,
      ],
      stop: () => alertmanager.stop(),
    };
  },
};

/** Prometheus with the rules, scraping the probe daemon and every layer that serves `/metrics`. */
export const prometheusPart: PartSpec = {
  name: 'prometheus',
  title: 'Prometheus',
  needs: ['probes', 'gpuNode', 'alertmanager', 'sim'],
  async start(ctx) {
    const { options, host, ports, state } = ctx;
    const config = rulesConfig(ctx);
    const dir = join(options.dir, 'prometheus');
    await mkdir(join(dir, 'rules'), { recursive: true });
    for (const group of buildRuleGroups(config)) {
      await writeFile(join(dir, 'rules', `${group.name}.rules.yaml`), ruleFileYaml([group]));
    }
    const file = join(dir, 'prometheus.yml');
    const interval = options.intervalSeconds;
    await writeFile(
      file,
      prometheusConfig(config, {
        probes: [new URL(need(state, 'probes', 'prometheus').url).host],
        gpuNodes: [gpuNodeTarget(need(state, 'gpuNode', 'prometheus'))],
        layers: await answeringLayers(Object.values(need(state, 'sim', 'prometheus').services)),
        alertmanagers: [`${host}:${need(state, 'alertmanager', 'prometheus').port}`],
        ruleFiles: [join(dir, 'rules', '*.rules.yaml')],
        ...(interval !== undefined && { scrapeInterval: `${interval}s` }),
      }),
    );
    const prometheus = await startPrometheus({
      dataDir: join(dir, 'data'),
      configFile: file,
      port: ports.prometheus,
      host,
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
