import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from '@layerwatch/probes';
import { pino } from 'pino';
import { testCertificates, type TestCertificates } from '../../probes/test/support/tls-certs.js';
import { startBlackbox, type RunningBlackbox } from './blackbox-exporter.js';

/**
 * The one module file both exporters load in the compatibility tests, byte for byte: module
 * keys follow blackbox_exporter's. `caFile` is the test CA.
 */
export function compatModulesYaml(caFile: string): string {
  return `modules:
  http_2xx:
    prober: http
    timeout: 5s
  http_post_2xx:
    prober: http
    timeout: 5s
    http:
      method: POST
  http_503:
    prober: http
    timeout: 5s
    http:
      valid_status_codes: [503]
  http_no_redirect:
    prober: http
    timeout: 5s
    http:
      follow_redirects: false
      valid_status_codes: [302]
  https_ca:
    prober: http
    timeout: 5s
    http:
      fail_if_not_ssl: true
      tls_config:
        ca_file: ${caFile}
  https_insecure:
    prober: http
    timeout: 5s
    http:
      tls_config:
        insecure_skip_verify: true
  tcp_connect:
    prober: tcp
    timeout: 5s
  tls_connect:
    prober: tcp
    timeout: 5s
    tcp:
      tls: true
      tls_config:
        ca_file: ${caFile}
  tls_insecure:
    prober: tcp
    timeout: 5s
    tcp:
      tls: true
      tls_config:
        insecure_skip_verify: true
`;
}

/** Both exporters of a compatibility test, loaded with the same module file. */
export interface CompatExporters {
  /** The test certificates; the modules' `ca_file` is their CA. */
  readonly certs: TestCertificates;
  readonly blackbox: RunningBlackbox;
  /** Our probe daemon, its scheduler off: it answers `/probe` only. */
  readonly daemon: RunningDaemon;
  /** Stops both and removes the module files and the certificates. */
  stop(): Promise<void>;
}

/** blackbox_exporter and our probe daemon, both loading `compatModulesYaml` (fresh test CA). */
export async function startCompatExporters(): Promise<CompatExporters> {
  const certs = await testCertificates();
  const files = await certs.writeFiles();
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-compat-'));
  const modules = compatModulesYaml(files.caFile);
  await writeFile(join(dir, 'blackbox.yml'), modules);
  await writeFile(join(dir, 'probes.yml'), `scheduler:\n  enabled: false\n${modules}`);
  const [blackbox, daemon] = await Promise.all([
    startBlackbox(join(dir, 'blackbox.yml')),
    startDaemon({
      configFile: join(dir, 'probes.yml'),
      listen: '127.0.0.1:0',
      logger: pino({ level: 'silent' }),
    }),
  ]);
  return {
    certs,
    blackbox,
    daemon,
    stop: async () => {
      await Promise.all([blackbox.stop(), daemon.stop()]);
      await Promise.all([dir, files.dir].map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
