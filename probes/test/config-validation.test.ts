import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { loadProbeConfig, loadProbeConfigText } from '../src/config/prepare.js';
import { defaultConfigPath } from '../src/cli/probes.js';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const repoRoot = join(testdata, '..', '..', '..');

/** One invalid fixture per validation rule, each pinned to its exact message. */
const INVALID: Record<string, string> = {
  'invalid-yaml-syntax.yml':
    'invalid-yaml-syntax.yml:5:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  'invalid-duplicate-key.yml': 'invalid-duplicate-key.yml:4:3: YAML: Map keys must be unique',
  'invalid-unknown-top-field.yml': [
    'invalid-unknown-top-field.yml:1:1: modules: is required (object)',
    'invalid-unknown-top-field.yml:1:1: modlues: unknown field "modlues"; did you mean "modules"?',
  ].join('\n'),
  'invalid-unknown-module-field.yml':
    'invalid-unknown-module-field.yml:4:5: modules.http_2xx.timeot: unknown field "timeot"; did you mean "timeout"?',
  'invalid-unknown-http-field.yml':
    'invalid-unknown-http-field.yml:6:7: modules.http_2xx.http.valid_status: unknown field "valid_status" (valid: method, headers, body, valid_status_codes, follow_redirects, max_redirects, fail_if_ssl, fail_if_not_ssl, fail_if_body_matches_regexp, fail_if_body_not_matches_regexp, json_assertions, tls_config, body_size_limit)',
  'invalid-prober.yml':
    'invalid-prober.yml:3:13: modules.ftp_check.prober: "ftp" is not a prober: use one of http, tcp, redis, postgres',
  'invalid-duration.yml':
    'invalid-duration.yml:4:14: modules.http_2xx.timeout: "5 seconds" is not a duration: write e.g. 500ms, 5s or 1m',
  'invalid-status-code.yml':
    'invalid-status-code.yml:5:33: modules.http_2xx.http.valid_status_codes[1]: 999 must be an HTTP status code from 100 to 599',
  'invalid-method.yml':
    'invalid-method.yml:5:15: modules.http_2xx.http.method: "FETCH" must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'invalid-regexp.yml':
    'invalid-regexp.yml:5:37: modules.http_2xx.http.fail_if_body_matches_regexp[0]: invalid regular expression "(unclosed": Unterminated group',
  'invalid-json-assertion.yml':
    'invalid-json-assertion.yml:5:25: modules.http_2xx.http.json_assertions[0]: invalid JSON assertion "$.status == healthy": healthy is not a JSON value (strings need double quotes, e.g. "healthy")',
  'invalid-body-size.yml':
    'invalid-body-size.yml:5:24: modules.http_2xx.http.body_size_limit: "10 megabytes" is not a byte size: write e.g. 1048576, 512KiB or 10MB',
  'invalid-cert-without-key.yml':
    'invalid-cert-without-key.yml:5:7: modules.http_2xx.http.tls_config: cert_file and key_file go together: give both for a client certificate, or neither',
  'invalid-ca-file-missing.yml':
    'invalid-ca-file-missing.yml:6:18: modules.https_2xx.http.tls_config.ca_file: cannot read "/nonexistent/ca.pem": ENOENT: no such file or directory, open \'/nonexistent/ca.pem\'',
  'invalid-target-module.yml':
    'invalid-target-module.yml:8:72: layers[0].targets[0].module: unknown module "http_2x": defined modules are http_2xx',
  'invalid-missing-target.yml':
    'invalid-missing-target.yml:8:9: layers[0].targets[0].target: is required (string)',
  'invalid-duplicate-target.yml':
    'invalid-duplicate-target.yml:9:17: layers[0].targets[1].name: "agent" is already a target of layer 4: names must be unique per layer',
  'invalid-empty-layer.yml':
    'invalid-empty-layer.yml:7:5: layers[0].targets: a layer needs at least one target',
  'invalid-schedule.yml':
    'invalid-schedule.yml:5:21: scheduler.default_schedule: "every 15s" is not a cron schedule: use 6 fields with seconds, e.g. "*/15 * * * * *" for every 15 s',
  'invalid-listen.yml': 'invalid-listen.yml:2:11: server.listen: 9701 is not a string',
  'invalid-missing-modules.yml': 'invalid-missing-modules.yml:1:1: modules: is required (object)',
  'invalid-renamed-collector.yml':
    'invalid-renamed-collector.yml:5:3: collectors.telemetry: "telemetry" was renamed "checksums": write collectors.checksums instead (same settings)',
  'invalid-gpu-health-interval.yml':
    'invalid-gpu-health-interval.yml:7:22: collectors.gpu.health_interval: "1 minute" is not a duration: write e.g. 500ms, 5s or 1m',
  'invalid-gpu-health-timeout.yml':
    'invalid-gpu-health-timeout.yml:8:21: collectors.gpu.health_timeout: "30s" is not shorter than health_interval (30 s): one health run at a time, so lower health_timeout or raise health_interval',
  'invalid-gpu-kernel-log-source.yml':
    'invalid-gpu-kernel-log-source.yml:8:15: collectors.gpu.kernel_log.source: "dmesg" must be one of journalctl, file, off',
  'invalid-wrong-type.yml':
    'invalid-wrong-type.yml:2:26: server.max_concurrent_probes: "lots" is not a number',
};

describe('config validation', () => {
  it('has a pinned message for every invalid fixture', () => {
    const fixtures = readdirSync(testdata).filter((f) => f.startsWith('invalid-'));
    expect(fixtures.sort()).toEqual(Object.keys(INVALID).sort());
  });

  it.each(Object.entries(INVALID))('%s', (file, message) => {
    const text = readFileSync(join(testdata, file), 'utf8');
    let thrown: unknown;
    try {
      loadProbeConfigText(text, file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toBe(message);
  });

  it('applies defaults to a valid config', async () => {
    const loaded = loadProbeConfig(join(testdata, 'valid-full.yml'));
    expect(loaded.config.server.max_concurrent_probes).toBe(1024);
    expect(loaded.modules.get('http_2xx')?.timeoutMs).toBe(5000);
    expect(loaded.modules.get('http_healthy')?.timeoutMs).toBe(2000);
    expect(loaded.targets[0]?.schedule).toBe('*/5 * * * * *');
    await loaded.close();
  });

  it('gives the GPU health pass its defaults: every 60 s, 10 s timeout, XIDs from journalctl', () => {
    const loaded = loadProbeConfigText(
      'modules: {}\ncollectors:\n  gpu:\n    enabled: true\n',
      'gpu.yml',
    );
    expect(loaded.config.collectors.gpu).toMatchObject({
      health_interval: 60_000,
      health_timeout: 10_000,
      kernel_log: {
        source: 'journalctl',
        journalctl_path: 'journalctl',
        file: '/var/log/kern.log',
      },
    });
  });

  it('loads the embedded default config', async () => {
    const loaded = loadProbeConfig(defaultConfigPath());
    expect(loaded.targets.map((t) => t.key)).toContain('7/evolution');
    await loaded.close();
  });
});

describe('layerwatch probes --check-config', () => {
  const cli = (file: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'probes/test/support/probes-cli.ts'),
        '--check-config',
        file,
      ],
      {
        encoding: 'utf8',
        cwd: testdata,
      },
    );

  it('exits 1 and prints the located problem for a bad file', () => {
    const result = cli('invalid-duration.yml');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(INVALID['invalid-duration.yml']);
  });

  it('exits 0 and summarises a good file', () => {
    const result = cli('valid-full.yml');
    expect(result.stdout.trim()).toBe('valid-full.yml: OK (3 modules, 1 scheduled targets)');
    expect(result.status).toBe(0);
  });
});
