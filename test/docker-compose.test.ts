import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_CONFIG } from '@layerwatch/alert-rules';
import { hashToken, loadConfigFile } from '@layerwatch/remediation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REMEDIATION_JOB, REPO, SECRETS_MOUNT, SIM_SERVICES } from '@layerwatch/generate';

/**
 * deploy/docker-compose.yaml, checked without a Docker engine (none runs here): parsed, every
 * mounted host path present, every config it mounts passed through its real checker
 * (`layerwatch probes --check-config`, the remediation loader on what the real init.sh
 * writes, `promtool check config`, `amtool check-config`), generated files without drift.
 */
const run = promisify(execFile);
const DEPLOY = join(REPO, 'deploy');
const COMPOSE_FILE = join(DEPLOY, 'docker-compose.yaml');
const BIN = join(REPO, 'bin', 'layerwatch.js');
const TOKENS = {
  LAYERWATCH_REMEDIATION_TOKEN: 'lw_compose-test-operator-token-0001',
  LAYERWATCH_ALERTMANAGER_TOKEN: 'lw_compose-test-alertmanager-token-01',
};

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  user?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

let compose: Compose;
beforeAll(async () => {
  compose = parse(await readFile(COMPOSE_FILE, 'utf8'), { merge: true }) as Compose;
});
const service = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`deploy/docker-compose.yaml has no service ${name}`);
  return s;
};

/** `host:container[:ro]` of a service, split; host paths resolved against deploy/. */
function mounts(name: string): { host: string; container: string; named: boolean }[] {
  return (service(name).volumes ?? []).map((v) => {
    const [host = '', container = ''] = v.split(':');
    const named = !host.startsWith('.') && !host.startsWith('/');
    return { host: named ? host : resolve(DEPLOY, host), container, named };
  });
}
/** The host file a service sees at `container`. */
function hostFile(name: string, container: string): string {
  const m = mounts(name).find((x) => x.container === container);
  if (!m || m.named) throw new Error(`${name} mounts no host file at ${container}`);
  return m.host;
}

describe('deploy/docker-compose.yaml (parsed: no Docker engine here)', () => {
  it('runs the official Grafana image with the plugin mounted and allowed unsigned by id', () => {
    const grafana = service('grafana');
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(grafana.environment?.['GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS']).toBe(
      'layerwatch-ops-app',
    );
    expect(grafana.volumes).toContain(
      '../grafana-plugin/dist:/var/lib/grafana/plugins/layerwatch-ops-app:ro',
    );
    for (const s of ['prometheus', 'alertmanager', 'redis', 'postgres'])
      expect(service(s).image, s).toMatch(/^[a-z/]+:v?\d+\.\d+(\.\d+)?$/);
  });

  it('mounts only host paths that exist and named volumes that are declared', () => {
    for (const name of Object.keys(compose.services)) {
      for (const m of mounts(name)) {
        if (m.named) expect(Object.keys(compose.volumes), `${name}: ${m.host}`).toContain(m.host);
        else expect(existsSync(m.host), `${name}: ${m.host}`).toBe(true);
      }
    }
    for (const s of ['init', 'sim', 'probes', 'remediation']) {
      expect(service(s).image, s).toBe('layerwatch:0.1.0');
      const build = service(s).build!;
      expect(existsSync(resolve(DEPLOY, build.context, build.dockerfile)), s).toBe(true);
    }
  });

  it('refuses to start without the two tokens, and passes them only to init and Grafana', async () => {
    const text = await readFile(COMPOSE_FILE, 'utf8');
    for (const variable of Object.keys(TOKENS)) {
      const users = Object.entries(compose.services)
        .filter(([, s]) => s.environment?.[variable] !== undefined)
        .map(([n]) => n);
      expect(users, variable).toEqual(
        variable === 'LAYERWATCH_REMEDIATION_TOKEN' ? ['init', 'grafana'] : ['init'],
      );
      for (const user of users)
        expect(service(user).environment?.[variable]).toMatch(
          new RegExp(`^\\$\\{${variable}:\\?.+\\}$`),
        );
    }
    expect(text).not.toMatch(/sha256: *[0-9a-f]{64}/);
    for (const s of ['remediation', 'alertmanager', 'postgres'])
      expect(service(s).depends_on, s).toMatchObject({
        init: { condition: 'service_completed_successfully' },
      });
  });
});

describe('the configs deploy/docker-compose.yaml mounts, through their real checkers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lw-compose-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('probes: passes `layerwatch probes --check-config` and probes only compose services', async () => {
    const file = hostFile('probes', '/etc/layerwatch/probes.yml');
    expect(service('probes').command).toEqual(
      expect.arrayContaining(['--config', '/etc/layerwatch/probes.yml']),
    );
    const { stdout } = await run('node', [BIN, 'probes', '--check-config', file]);
    expect(stdout).toMatch(/OK \(\d+ modules, 12 scheduled targets\)/);
    const config = parse(await readFile(file, 'utf8')) as {
      layers: { targets: { target: string }[] }[];
    };
    for (const { target } of config.layers.flatMap((l) => l.targets)) {
      const host = new URL(target.includes('://') ? target : `tcp://${target}`).hostname;
      expect(Object.keys(compose.services), target).toContain(host);
    }
  });

  it('remediation: init.sh writes a config the loader accepts, with the hashes of the exported tokens', async () => {
    const init = service('init');
    expect(init.entrypoint).toEqual(['sh', '/etc/layerwatch/compose/init.sh']);
    const secrets = join(dir, 'secrets');
    const data = join(dir, 'data');
    await run('sh', [join(hostFile('init', '/etc/layerwatch/compose'), 'init.sh')], {
      env: {
        ...process.env,
        ...TOKENS,
        LAYERWATCH_COMPOSE_DIR: hostFile('init', '/etc/layerwatch/compose'),
        LAYERWATCH_SECRETS_DIR: secrets,
        LAYERWATCH_REMEDIATION_DATA: data,
        LAYERWATCH_BIN: BIN,
      },
    });
    const config = loadConfigFile(join(secrets, 'remediation.yml'));
    expect(config.auth.tokens.map((t) => [t.name, t.role, t.sha256])).toEqual([
      ['grafana', 'operator', hashToken(TOKENS.LAYERWATCH_REMEDIATION_TOKEN)],
      ['alertmanager', 'viewer', hashToken(TOKENS.LAYERWATCH_ALERTMANAGER_TOKEN)],
    ]);
    expect(config.webhook.senders).toEqual(['alertmanager']);
    expect(config.alertmanager?.url).toBe('http://alertmanager:9093');
    expect(config.http?.services.map((s) => [s.name, s.layer, s.url])).toEqual(
      SIM_SERVICES.map((s) => [s.name, s.layer, `http://sim:${s.port}`]),
    );
    // The store lies on the named volume that remediation mounts read-write.
    expect(config.store).toMatchObject({ kind: 'sqlite', path: '/var/lib/layerwatch/audit.db' });
    expect(service('remediation').volumes).toContain('remediation-data:/var/lib/layerwatch');
    expect(service('remediation').command).toEqual(
      expect.arrayContaining(['--config', `${SECRETS_MOUNT}/remediation.yml`]),
    );
    expect(await readFile(join(secrets, 'alertmanager-token'), 'utf8')).toBe(
      TOKENS.LAYERWATCH_ALERTMANAGER_TOKEN,
    );
    for (const f of ['remediation.yml', 'alertmanager-token', 'postgres-password'])
      expect(statSync(join(secrets, f)).mode & 0o077, f).toBe(0);
    expect(await readFile(join(secrets, 'postgres-password'), 'utf8')).toMatch(/^[\w-]{32}$/);
  });

  it('remediation: init.sh refuses a missing, short or shared token, naming the variable', async () => {
    const script = join(REPO, 'deploy', 'compose', 'init.sh');
    const base = { ...process.env, LAYERWATCH_SECRETS_DIR: join(dir, 'refused') };
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ LAYERWATCH_REMEDIATION_TOKEN: undefined }, /export LAYERWATCH_REMEDIATION_TOKEN/],
      [{ LAYERWATCH_ALERTMANAGER_TOKEN: 'short' }, /LAYERWATCH_ALERTMANAGER_TOKEN is 5 characters/],
      [{ LAYERWATCH_ALERTMANAGER_TOKEN: TOKENS.LAYERWATCH_REMEDIATION_TOKEN }, /must differ/],
    ];
    for (const [change, message] of cases) {
      const env: NodeJS.ProcessEnv = { ...base, ...TOKENS, ...change };
      for (const [k, v] of Object.entries(change)) if (v === undefined) delete env[k];
      await expect(run('sh', [script], { env })).rejects.toMatchObject({
        stderr: expect.stringMatching(message),
      });
    }
    expect(existsSync(join(dir, 'refused'))).toBe(false);
  });

  it('prometheus.yml: passes `promtool check config` with the mounted rules, and scrapes what the rules select', async () => {
    const file = hostFile('prometheus', '/etc/prometheus/prometheus.yml');
    const rules = hostFile('prometheus', '/etc/prometheus/rules');
    // The same file with the rules' container path pointed at the host folder compose mounts.
    const copy = join(dir, 'prometheus.yml');
    await writeFile(copy, (await readFile(file, 'utf8')).replace('/etc/prometheus/rules', rules));
    const { stdout } = await run('promtool', ['check', 'config', copy]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    const config = parse(await readFile(file, 'utf8')) as {
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      scrape_configs: {
        job_name: string;
        static_configs: { targets: string[]; labels?: Record<string, string> }[];
      }[];
    };
    const jobs = new Map(config.scrape_configs.map((j) => [j.job_name, j.static_configs]));
    expect([...jobs.keys()]).toEqual([
      DEFAULT_CONFIG.jobs.probes,
      DEFAULT_CONFIG.jobs.layers,
      REMEDIATION_JOB,
    ]);
    expect(jobs.get(DEFAULT_CONFIG.jobs.probes)).toEqual([{ targets: ['probes:9701'] }]);
    expect(jobs.get(DEFAULT_CONFIG.jobs.layers)).toEqual(
      SIM_SERVICES.map((s) => ({ targets: [`sim:${s.port}`], labels: { layer: s.layer } })),
    );
    expect(jobs.get(REMEDIATION_JOB)).toEqual([{ targets: ['remediation:9702'] }]);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual([
      'alertmanager:9093',
    ]);
  });

  it('alertmanager.yml: passes `amtool check-config` and pages remediation with the token init writes', async () => {
    const file = hostFile('alertmanager', '/etc/alertmanager/alertmanager.yml');
    const { stdout } = await run('amtool', ['check-config', file]);
    expect(stdout).toContain('SUCCESS');
    const config = parse(await readFile(file, 'utf8')) as {
      receivers: { name: string; webhook_configs?: Record<string, unknown>[] }[];
    };
    const remediation = config.receivers.find((r) => r.name === 'remediation');
    expect(remediation?.webhook_configs).toEqual([
      expect.objectContaining({
        url: 'http://remediation:9702/alertmanager/webhook',
        http_config: {
          authorization: {
            type: 'Bearer',
            credentials_file: `${SECRETS_MOUNT}/alertmanager-token`,
          },
        },
      }),
    ]);
    expect(service('alertmanager').volumes).toContain(`secrets:${SECRETS_MOUNT}:ro`);
  });

  it('Grafana provisioning: the app on compose URLs with its token from the environment, the data source it expects, the dashboards', async () => {
    const provisioning = hostFile('grafana', '/etc/grafana/provisioning');
    const app = parse(
      await readFile(join(provisioning, 'plugins', 'layerwatch-ops-app.yaml'), 'utf8'),
    ) as { apps: { type: string; jsonData: Record<string, unknown>; secureJsonData: unknown }[] };
    expect(app.apps).toEqual([
      expect.objectContaining({
        type: 'layerwatch-ops-app',
        jsonData: expect.objectContaining({
          remediationUrl: 'http://remediation:9702',
          alertmanagerUrl: 'http://alertmanager:9093',
          prometheusUid: 'layerwatch-prometheus',
        }) as unknown,
        secureJsonData: { remediationToken: '$LAYERWATCH_REMEDIATION_TOKEN' },
      }),
    ]);
    const ds = parse(
      await readFile(join(provisioning, 'datasources', 'prometheus.yaml'), 'utf8'),
    ) as { datasources: Record<string, unknown>[] };
    expect(ds.datasources).toEqual([
      expect.objectContaining({
        uid: 'layerwatch-prometheus',
        type: 'prometheus',
        url: 'http://prometheus:9090',
        isDefault: true,
      }),
    ]);
    const dashboards = parse(
      await readFile(join(provisioning, 'dashboards', 'layerwatch.yaml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const path = dashboards.providers[0]?.options.path ?? '';
    const hostDir = hostFile('grafana', path);
    expect(existsSync(join(hostDir, 'slo-overview.json'))).toBe(true);
  });
});
