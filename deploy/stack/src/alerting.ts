import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  GENERATED,
  alertmanagerYaml,
  buildRuleGroups,
  packagePath,
  prometheusConfig,
  readPagerSecrets,
  resolveConfig,
} from '@layerwatch/alert-rules';
import { startAlertmanager, startPrometheus } from '@layerwatch/local';
import type { StackPart } from './stack.js';

export interface AlertingOptions {
  readonly stateDir: string;
  readonly host: string;
  readonly ports: { readonly prometheus: number; readonly alertmanager: number };
  /** `host:port` of the probe daemon. */
  readonly probes: string;
  /** The simulated layer services; those whose `/metrics` answers are scraped too. */
  readonly layers: readonly { readonly url: string; readonly layer: string }[];
  readonly log: (line: string) => void;
  /** The bearer token file Alertmanager sends to the remediation webhook. */
  readonly remediationTokenFile?: string;
}

/**
 * Alertmanager (pages to the remediation webhook, plus the pagers configured from the
 * environment or `LAYERWATCH_ALERTMANAGER_SECRETS`), then Prometheus with the committed
 * rules, scraping the probe daemon and every layer service that serves `/metrics`.
 */
export async function startAlerting(options: AlertingOptions): Promise<StackPart[]> {
  const { host, stateDir } = options;
  const config = resolveConfig();
  const parts: StackPart[] = [];

  options.log('starting Alertmanager …');
  const amDir = join(stateDir, 'alertmanager');
  await mkdir(amDir, { recursive: true });
  const amConfig = join(amDir, 'alertmanager.yml');
  // Rendered with whatever pager secrets this shell has: never committed, readable by us only.
  const pagerSecrets = readPagerSecrets();
  const hasPagers = Object.keys(pagerSecrets).length > 0;
  const tokenFile = options.remediationTokenFile;
  const secrets =
    tokenFile === undefined
      ? pagerSecrets
      : { remediationTokenFile: resolve(tokenFile), ...pagerSecrets };
  const groups = buildRuleGroups(config);
  await writeFile(
    amConfig,
    alertmanagerYaml(config, groups, hasPagers || tokenFile !== undefined ? secrets : undefined),
  );
  await chmod(amConfig, 0o600);
  const alertmanager = await startAlertmanager({
    dataDir: join(amDir, 'data'),
    configFile: amConfig,
    port: options.ports.alertmanager,
    host,
  });
  parts.push({
    name: 'Alertmanager',
    urls: [
      `${alertmanager.url}  (pages → ${config.alertmanager.remediationWebhookUrl}${hasPagers ? ' and the configured pagers' : ''})`,
    ],
    stop: () => alertmanager.stop(),
  });

  try {
    options.log('starting Prometheus with the generated rules …');
    const promDir = join(stateDir, 'prometheus');
    await mkdir(promDir, { recursive: true });
    const layers = await answeringLayers(options.layers);
    const promConfig = join(promDir, 'prometheus.yml');
    await writeFile(
      promConfig,
      prometheusConfig(config, {
        probes: [options.probes],
        layers,
        alertmanagers: [`${host}:${alertmanager.port}`],
        ruleFiles: [packagePath(GENERATED.rulesGlob)],
      }),
    );
    const prometheus = await startPrometheus({
      dataDir: join(promDir, 'data'),
      configFile: promConfig,
      port: options.ports.prometheus,
      host,
    });
    parts.push({
      name: 'Prometheus',
      urls: [`${prometheus.url}/alerts`, `${prometheus.url}/targets`],
      stop: () => prometheus.stop(),
    });
  } catch (error) {
    await alertmanager.stop();
    throw error;
  }
  return parts;
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
