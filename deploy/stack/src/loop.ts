import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alertmanagerYaml,
  buildRuleGroups,
  prometheusConfig,
  resolveConfig,
  ruleFileYaml,
  type ConfigOverrides,
} from '@layerwatch/alert-rules';
import {
  freePort,
  startAlertmanager,
  startPostgres,
  startPrometheus,
  startRedis,
  type RunningAlertmanager,
  type RunningPrometheus,
} from '@layerwatch/local';
import { startDaemon, type RunningDaemon } from '@layerwatch/probes';
import type { RunningRemediation } from '@layerwatch/remediation';
import { startSimulator, type RunningSimulator } from '@layerwatch/sim';
import { pino } from 'pino';
import { startStackRemediation, type RemediationOptions } from './remediation.js';

type AutoRules = RemediationOptions['autoRemediation'];

export interface LoopOptions {
  /** A folder of its own (a temp dir): every part's config and data go under it. */
  readonly dir: string;
  /** Alert-rule config overrides on top of the committed config (short `for:`s, timing). */
  readonly rules?: ConfigOverrides;
  /** Auto-remediation rules of the remediation service; none: auto-remediation off. */
  readonly autoRemediation?: AutoRules;
  /** Probe, collector, scrape and rule-evaluation interval, in seconds. @default 1 */
  readonly intervalSeconds?: number;
  /** Random 0..N ms added to every simulated answer (the soak's jitter). @default 0 */
  readonly latencyJitterMs?: number;
  /** Where the parts' warnings go. @default nowhere */
  readonly log?: (line: string) => void;
}

export interface LoopTokens {
  readonly admin: string;
  readonly operator: string;
  readonly viewer: string;
  readonly alertmanager: string;
}

/** Every part of the closed loop, running on free loopback ports. */
export interface RunningLoop {
  readonly sim: RunningSimulator;
  readonly daemon: RunningDaemon;
  readonly remediation: RunningRemediation;
  readonly alertmanager: RunningAlertmanager;
  readonly prometheus: RunningPrometheus;
  readonly tokens: LoopTokens;
  /** Where the demo factory writes its exports, ledger and readiness file. */
  readonly factoryRoot: string;
  /** Stops everything it started, in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The whole closed loop of `make up` — simulator (instrumented, with its factory pipeline),
 * probe daemon with its collectors, remediation service, Alertmanager and Prometheus with
 * the generated rules, and the shared Redis and PostgreSQL the probes check — on free ports
 * with short intervals, for the end-to-end test and the soak benchmark.
 */
export async function startLoop(options: LoopOptions): Promise<RunningLoop> {
  const { dir } = options;
  const interval = options.intervalSeconds ?? 1;
  const silent = pino({ level: 'silent' });
  const stops: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const fn of stops.reverse()) await fn().catch(() => undefined);
    })();
    return stopping;
  };
  try {
    const redis = await startRedis({ dataDir: join(dir, 'redis') });
    stops.push(() => redis.stop());
    // A folder of its own: PostgreSQL runs as its own user, who may not enter `dir` (0700).
    const pgDir = await mkdtemp(join(tmpdir(), 'layerwatch-loop-postgres-'));
    stops.push(() => rm(pgDir, { recursive: true, force: true }));
    const postgres = await startPostgres({
      dataDir: pgDir,
      user: 'layerwatch',
      database: 'layerwatch',
    });
    stops.push(() => postgres.stop());
    const stores = { redis: `127.0.0.1:${redis.port}`, postgres: `127.0.0.1:${postgres.port}` };

    const factoryRoot = join(dir, 'factory');
    const sim = await startSimulator({
      ports: { agent: 0, scheduler: 0, refinement: 0, evolution: 0 },
      factoryRoot,
      factoryExportEveryMs: 60_000,
      factoryReadinessEveryMs: interval * 1000,
      crossLayerIntervalMs: interval * 1000,
      latencyJitterMs: options.latencyJitterMs ?? 0,
      ...(options.log && { log: options.log }),
    });
    stops.push(() => sim.stop());

    const daemon = await startDaemon({
      configFile: await writeProbeConfig(dir, sim, stores, factoryRoot, interval),
      listen: '127.0.0.1:0',
      logger: silent,
    });
    stops.push(() => daemon.stop());

    // Alertmanager's port first: remediation silences through it, and it pages remediation.
    const alertmanagerUrl = `http://127.0.0.1:${await freePort()}`;
    const started = await startStackRemediation({
      stateDir: dir,
      tokenDir: join(dir, 'tokens'),
      host: '127.0.0.1',
      port: 0,
      services: sim.services,
      alertmanagerUrl,
      logLevel: 'silent',
      autoRemediation: options.autoRemediation,
    });
    const { running: remediation, tokens } = started;
    stops.push(() => remediation.stop());

    const rules = resolveConfig({
      ...options.rules,
      alertmanager: {
        ...options.rules?.alertmanager,
        remediationWebhookUrl: `${remediation.url}/alertmanager/webhook`,
      },
    });
    const groups = buildRuleGroups(rules);
    await mkdir(join(dir, 'rules'), { recursive: true });
    for (const group of groups) {
      await writeFile(join(dir, 'rules', `${group.name}.rules.yaml`), ruleFileYaml([group]));
    }
    const tokenFile = started.alertmanagerTokenFile;
    const amConfig = join(dir, 'alertmanager.yml');
    await writeFile(amConfig, alertmanagerYaml(rules, groups, { remediationTokenFile: tokenFile }));
    const alertmanager = await startAlertmanager({
      dataDir: join(dir, 'alertmanager'),
      configFile: amConfig,
      port: Number(new URL(alertmanagerUrl).port),
    });
    stops.push(() => alertmanager.stop());

    const promConfig = join(dir, 'prometheus.yml');
    await writeFile(
      promConfig,
      prometheusConfig(rules, {
        probes: [new URL(daemon.url).host],
        layers: Object.values(sim.services).map((s) => ({
          target: new URL(s.url).host,
          layer: s.layer,
        })),
        alertmanagers: [`127.0.0.1:${alertmanager.port}`],
        ruleFiles: [join(dir, 'rules', '*.rules.yaml')],
        scrapeInterval: `${interval}s`,
      }),
    );
    const prometheus = await startPrometheus({
      dataDir: join(dir, 'prometheus'),
      configFile: promConfig,
    });
    stops.push(() => prometheus.stop());

    return { sim, daemon, remediation, alertmanager, prometheus, tokens, factoryRoot, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every simulated service probed every interval; the collectors on the factory's files. */
async function writeProbeConfig(
  dir: string,
  sim: RunningSimulator,
  stores: { readonly redis: string; readonly postgres: string },
  factoryRoot: string,
  interval: number,
): Promise<string> {
  const every = interval === 1 ? '* * * * * *' : `*/${interval} * * * * *`;
  const targets = Object.entries(sim.services).map(
    ([name, s]) =>
      `  - layer: '${s.layer}'\n    name: ${name}\n    targets:\n      - { name: ${name}, target: '${s.url}/health', module: http_healthy }`,
  );
  const file = join(dir, 'probes.yml');
  await writeFile(
    file,
    [
      `scheduler:\n  default_schedule: '${every}'`,
      'modules:\n  http_healthy:\n    prober: http\n    timeout: 900ms',
      '    http:\n      valid_status_codes: [200]',
      '      json_assertions: [\'$.status == "healthy"\']',
      '  redis_queue:\n    prober: redis\n    timeout: 900ms\n    redis:\n      queues: [agent-tasks]',
      '  postgres_ready:\n    prober: postgres\n    timeout: 900ms',
      '    postgres:\n      user: layerwatch\n      database: layerwatch',
      'layers:',
      ...targets,
      '  - layer: shared\n    name: data stores\n    targets:',
      `      - { name: redis, target: '${stores.redis}', module: redis_queue }`,
      `      - { name: postgres, target: '${stores.postgres}', module: postgres_ready }`,
      'collectors:',
      `  telemetry:\n    enabled: true\n    root: '${factoryRoot}'\n    interval: ${interval}s`,
      `  readiness:\n    enabled: true\n    file: '${join(factoryRoot, 'logs/ops_readiness.json')}'\n    interval: ${interval}s`,
      '',
    ].join('\n'),
  );
  return file;
}
