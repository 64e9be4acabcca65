import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, packagePath, prometheusConfig } from '@layerwatch/alert-rules';
import {
  startAlertmanager,
  startPrometheus,
  type RunningAlertmanager,
  type RunningPrometheus,
} from '@layerwatch/local';
import { startDaemon, type RunningDaemon } from '@layerwatch/probes';
import {
  hashToken,
  parseConfig,
  startRemediation,
  type RunningRemediation,
} from '@layerwatch/remediation';
import { startSimulator, type RunningSimulator } from '@layerwatch/sim';
import { pino } from 'pino';

/** Real parts behind the plugin host: simulator, probe daemon, Prometheus with the generated rules, Alertmanager, remediation API. */
export interface Stack {
  root: string;
  sim: RunningSimulator;
  daemon: RunningDaemon;
  prometheus: RunningPrometheus;
  alertmanager: RunningAlertmanager;
  remediation: RunningRemediation;
  tokens: { operator: string; viewer: string };
  stop(): Promise<void>;
}

export const TOKENS = {
  operator: 'lw_plugin_test_operator_token_0000000',
  viewer: 'lw_plugin_test_viewer_token_00000000',
};

export async function startStack(): Promise<Stack> {
  const root = await mkdtemp(join(tmpdir(), 'layerwatch-plugin-'));
  const parts: Partial<Stack> = { root };
  try {
    parts.sim = await startSimulator({
      ports: { agent: 0, scheduler: 0, refinement: 0, evolution: 0 },
    });
    const { agent, evolution } = parts.sim.services;
    const probes = join(root, 'probes.yml');
    await writeFile(
      probes,
      [
        "scheduler:\n  default_schedule: '* * * * * *'",
        'modules:\n  http_healthy:\n    prober: http\n    timeout: 900ms',
        '    http:\n      valid_status_codes: [200]',
        '      json_assertions: [\'$.status == "healthy"\']',
        'layers:',
        `  - layer: '4'\n    name: execution\n    targets:`,
        `      - { name: agent, target: '${agent.url}/health', module: http_healthy }`,
        `  - layer: '7'\n    name: evolution\n    targets:`,
        `      - { name: evolution, target: '${evolution.url}/health', module: http_healthy }`,
        '',
      ].join('\n'),
    );
    parts.daemon = await startDaemon({
      configFile: probes,
      listen: '127.0.0.1:0',
      logger: pino({ level: 'silent' }),
    });
    const amConfig = join(root, 'alertmanager.yml');
    await writeFile(amConfig, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
    parts.alertmanager = await startAlertmanager({
      dataDir: join(root, 'alertmanager'),
      configFile: amConfig,
    });
    const promConfig = join(root, 'prometheus.yml');
    await writeFile(
      promConfig,
      prometheusConfig(DEFAULT_CONFIG, {
        probes: [new URL(parts.daemon.url).host],
        alertmanagers: [],
        ruleFiles: [packagePath('generated/prometheus/*.yaml')],
        scrapeInterval: '1s',
      }),
    );
    parts.prometheus = await startPrometheus({
      dataDir: join(root, 'prometheus'),
      configFile: promConfig,
    });
    const services = Object.entries(parts.sim.services).map(([name, s]) => ({
      name,
      layer: s.layer,
      url: s.url,
    }));
    parts.remediation = await startRemediation({
      config: parseConfig({
        listen: '127.0.0.1:0',
        store: { kind: 'sqlite', path: join(root, 'remediation.sqlite') },
        auth: {
          tokens: [
            { name: 'grafana-operator', sha256: hashToken(TOKENS.operator), role: 'operator' },
            { name: 'grafana-viewer', sha256: hashToken(TOKENS.viewer), role: 'viewer' },
          ],
        },
        http: { services },
        alertmanager: { url: parts.alertmanager.url },
      }),
      logger: pino({ level: 'silent' }),
    });
  } catch (e) {
    await stopAll(parts);
    throw e;
  }
  const stack = parts as Stack;
  stack.tokens = TOKENS;
  stack.stop = () => stopAll(parts);
  return stack;
}

async function stopAll(parts: Partial<Stack>): Promise<void> {
  await parts.remediation?.stop();
  await parts.prometheus?.stop();
  await parts.alertmanager?.stop();
  await parts.daemon?.stop();
  await parts.sim?.stop();
  if (parts.root) await rm(parts.root, { recursive: true, force: true });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
